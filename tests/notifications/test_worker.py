"""A digest through the real Redis, a real Celery worker and an SMTP server."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.extensions import db
from core.mail import deliver_outbox_message, due_outbox_ids
from core.models import OutboxMessage
from notifications.delivery import send_digest
from notifications.models import NotificationPreference

pytestmark = pytest.mark.services


@pytest.fixture
def app_config(redis_url, smtp_server):
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp_server.url,
            "CELERY": {"broker_url": redis_url, "task_always_eager": False,
                       "task_serializer": "json", "accept_content": ["json"],
                       "task_ignore_result": True}}  # fmt: skip


def _member_with_news(make_user, make_group, make_thread):
    member, other = make_user(digest_opt_in=True), make_user()
    group = make_group(visibility="closed", members=[member, other])
    make_thread(group, other, title="Casusoverleg", body="Vertrouwelijke inhoud")
    return member


def test_worker_delivers_one_digest_with_headers_parts_and_one_click_unsubscribe(
    app, client, smtp_server, start_worker, make_user, make_group, make_thread
):
    from tasks.notifications import send_digest as task

    member = _member_with_news(make_user, make_group, make_thread)
    start_worker(app)
    now = datetime.now(UTC).isoformat()
    # The same digest enqueued twice (a beat that fired twice): one email.
    task.delay(member.id, "weekly:2026-W41", now)
    task.delay(member.id, "weekly:2026-W41", now)
    [message] = smtp_server.wait_for(1, timeout=90)
    time.sleep(1.5)
    assert len(smtp_server.messages) == 1
    assert message["To"] == member.email
    assert "1 nieuw gesprek" in message["Subject"]
    assert message["Message-ID"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Casusoverleg" in text
    assert "Casusoverleg" in html
    assert "Vertrouwelijke" not in text + html
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert unsubscribe in text
    response = client.post(unsubscribe.removeprefix(app.config["BASE_URL"]),
                           data={"List-Unsubscribe": "One-Click"})  # fmt: skip
    assert response.status_code == 200
    db.session.expire_all()
    prefs = db.session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == member.id)
    )
    assert prefs.digest_frequency == "never"


def test_digest_waits_while_smtp_refuses_and_is_delivered_once_after(
    app, smtp_server, make_user, make_group, make_thread
):
    from core.mail_transport import TemporaryMailError

    member = _member_with_news(make_user, make_group, make_thread)
    send_digest(member.id, "daily:2026-10-05", datetime.now(UTC))
    db.session.commit()  # dispatch to the (absent) worker; delivery below is by hand
    [row_id] = db.session.scalars(select(OutboxMessage.id))
    smtp_server.refuse_with = "451 4.3.0 try again later"
    with pytest.raises(TemporaryMailError):
        deliver_outbox_message(row_id)
    smtp_server.refuse_with = None
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=datetime.now(UTC)))
    db.session.commit()
    assert due_outbox_ids() == [row_id]
    assert deliver_outbox_message(row_id) == "sent"
    assert deliver_outbox_message(row_id) == "skipped"
    assert len(smtp_server.wait_for(1)) == 1
