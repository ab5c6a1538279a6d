"""Tasks round-trip through a real Celery worker and the real Redis."""

from __future__ import annotations

import time

import pytest

from core.extensions import db
from core.mail import queue_email
from core.models import OutboxMessage

pytestmark = pytest.mark.services


@pytest.fixture
def app_config(redis_url, smtp_server):
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp_server.url,
            "CELERY": {"broker_url": redis_url, "task_always_eager": False,
                       "task_serializer": "json", "accept_content": ["json"],
                       "task_ignore_result": True}}  # fmt: skip


def test_email_committed_in_a_request_is_delivered_by_the_worker(
    app, client, smtp_server, start_worker
):
    @app.post("/test/mail")
    def mail():
        queue_email("worker@example.org", "core/test", subject="Via worker", context={"note": "w"})
        db.session.commit()
        return "ok"

    start_worker(app)
    assert client.post("/test/mail").status_code == 200
    [message] = smtp_server.wait_for(1, timeout=30)
    assert message["Subject"] == "Via worker"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        db.session.expire_all()
        row = db.session.query(OutboxMessage).one()
        if row.status == "sent":
            break
        time.sleep(0.1)
    assert row.status == "sent"


def test_outbox_sweep_delivers_what_waited_while_the_broker_was_down(
    app, smtp_server, start_worker
):
    from core.db import utcnow
    from tasks.mail import sweep_outbox

    db.session.add(OutboxMessage(message_id="<s@x>", to_address="late@example.org",
                                 subject="Waited", text_body="t", html_body="<p>h</p>",
                                 next_attempt_at=utcnow()))  # fmt: skip
    db.session.commit()
    start_worker(app)
    sweep_outbox.delay()
    [message] = smtp_server.wait_for(1, timeout=30)
    assert message["Subject"] == "Waited"
