"""The transactional outbox: nothing leaves before commit, everything after it, once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import select

from core.extensions import db
from core.mail import deliver_outbox_message, queue_email
from core.models import OutboxMessage
from tests.conftest import sent_emails


def _add_routes(app):
    @app.post("/test/mail-commit")
    def mail_commit():
        queue_email("a@example.org", "core/test", subject="Test", context={"note": "ok"})
        db.session.commit()
        return "ok"

    @app.post("/test/mail-rollback")
    def mail_rollback():
        queue_email("b@example.org", "core/test", subject="Test", context={"note": "no"})
        db.session.rollback()
        return "rolled back"


def test_email_queued_in_a_rolled_back_request_is_never_sent(app, client, tmp_path):
    _add_routes(app)
    client.post("/test/mail-rollback")
    assert sent_emails() == []
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_committed_email_is_written_to_the_file_outbox(app, client, tmp_path):
    _add_routes(app)
    client.post("/test/mail-commit")
    [row] = sent_emails()
    assert row.status == "sent"
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert b"Dit is een testbericht" in eml.read_bytes()


@pytest.mark.services
def test_committed_email_arrives_at_smtp_server_as_multipart(app, client, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    _add_routes(app)
    client.post("/test/mail-commit")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "a@example.org"
    assert message["Subject"] == "Test"
    assert message["Message-ID"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dit is een testbericht" in text
    assert "<p>Dit is een testbericht" in html


def test_same_idempotency_key_is_stored_once(app):
    first = queue_email("a@example.org", "core/test", subject="T", idempotency_key="digest:1:w1")
    second = queue_email("a@example.org", "core/test", subject="T", idempotency_key="digest:1:w1")
    db.session.commit()
    assert first is not None
    assert second is None
    assert len(sent_emails()) == 1


def test_bulk_email_carries_one_click_unsubscribe_headers(app):
    row = queue_email("a@example.org", "core/test", subject="T", kind="digest",
                      unsubscribe_url="https://jep.example/unsubscribe/abc")  # fmt: skip
    assert row.headers["List-Unsubscribe"] == "<https://jep.example/unsubscribe/abc>"
    assert row.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://jep.example/unsubscribe/abc" in row.text_body
    db.session.rollback()


def test_header_injection_in_subject_is_refused(app):
    with pytest.raises(ValueError, match="line break"):
        queue_email("a@example.org", "core/test", subject="Hoi\r\nBcc: x@evil.example")
    with pytest.raises(ValueError, match="line break"):
        queue_email("a@example.org\nBcc: x@evil.example", "core/test", subject="Hoi")


class FlakyBackend:
    def __init__(self, error):
        self.error = error
        self.sent = []

    @contextmanager
    def connection(self):
        yield self

    def send(self, message, row_id, before_data=lambda: None):
        if self.error:
            raise self.error
        self.sent.append(message)


def _pending_row() -> int:
    from core.db import utcnow

    row = OutboxMessage(message_id="<m@x>", to_address="c@example.org", subject="s",
                        text_body="t", html_body="<p>h</p>", next_attempt_at=utcnow())  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row.id


def test_temporary_failure_is_retried_later_and_then_delivered_once(app):
    from core.mail_transport import TemporaryMailError

    row_id = _pending_row()
    with pytest.raises(TemporaryMailError):
        deliver_outbox_message(row_id, FlakyBackend(TemporaryMailError("451")))
    db.session.expire_all()
    row = db.session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > row.created_at
    backend = FlakyBackend(None)
    assert deliver_outbox_message(row_id, backend) == "sent"
    assert deliver_outbox_message(row_id, backend) == "skipped"
    assert len(backend.sent) == 1


def test_permanent_failure_is_recorded_and_not_retried(app):
    from core.mail_transport import PermanentMailError

    row_id = _pending_row()
    assert deliver_outbox_message(row_id, FlakyBackend(PermanentMailError("550"))) == "failed"
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row_id).status == "failed"
    assert db.session.scalars(select(OutboxMessage.id)).all() == [row_id]


@pytest.mark.services
def test_smtp_refusals_are_classified(app, smtp_server):
    from core.mail_transport import (
        PermanentMailError,
        SMTPBackend,
        TemporaryMailError,
        build_message,
    )

    row_id = _pending_row()
    message = build_message(db.session.get(OutboxMessage, row_id), "JEP <noreply@localhost>")
    backend = SMTPBackend(smtp_server.url)
    smtp_server.refuse_with = "451 4.3.0 try again later"
    with pytest.raises(TemporaryMailError):
        backend.send(message, row_id)
    smtp_server.refuse_with = "550 5.1.1 no such user"
    with pytest.raises(PermanentMailError):
        backend.send(message, row_id)
    smtp_server.refuse_with = None
    backend.send(message, row_id)
    assert len(smtp_server.wait_for(1)) == 1


def test_keyed_emails_leave_only_after_the_outer_commit(app):
    queue_email("a@example.org", "core/test", subject="T", idempotency_key="k:1")
    queue_email("b@example.org", "core/test", subject="T", idempotency_key="k:2")
    assert {row.status for row in sent_emails()} == {"pending"}
    db.session.rollback()
    assert sent_emails() == []
    queue_email("a@example.org", "core/test", subject="T", idempotency_key="k:1")
    queue_email("b@example.org", "core/test", subject="T", idempotency_key="k:2")
    db.session.commit()
    db.session.expire_all()
    assert {row.status for row in sent_emails()} == {"sent"}


def test_a_claim_abandoned_before_the_hand_off_is_taken_over_after_the_lease(app):
    from datetime import timedelta

    from core.mail import CLAIM_LEASE, MessageInFlight, due_outbox_ids

    row_id = _pending_row()
    row = db.session.get(OutboxMessage, row_id)
    row.status, row.claimed_at = "sending", utcnow_()  # A worker claimed it, then died.
    db.session.commit()
    with pytest.raises(MessageInFlight):
        deliver_outbox_message(row_id, FlakyBackend(None))
    assert due_outbox_ids() == []
    row.claimed_at = utcnow_() - CLAIM_LEASE - timedelta(seconds=1)
    db.session.commit()
    assert due_outbox_ids() == [row_id]
    backend = FlakyBackend(None)
    assert deliver_outbox_message(row_id, backend) == "sent"
    assert len(backend.sent) == 1


def test_a_crash_during_the_hand_off_is_never_resent_but_reconciled(app):
    from datetime import timedelta

    from core.mail import CLAIM_LEASE, due_outbox_ids, reconcile_stuck_messages

    row_id = _pending_row()
    row = db.session.get(OutboxMessage, row_id)
    row.status = "handoff"
    row.claimed_at = utcnow_() - CLAIM_LEASE - timedelta(seconds=1)
    db.session.commit()
    assert due_outbox_ids() == []
    assert deliver_outbox_message(row_id, FlakyBackend(None)) == "skipped"
    assert reconcile_stuck_messages() == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row_id).status == "unknown"


def utcnow_():
    from core.db import utcnow

    return utcnow()


def test_the_daily_purge_is_scheduled_and_follows_the_retention_setting(app):
    from datetime import timedelta

    from core.db import utcnow
    from tasks.beat import BEAT_SCHEDULE
    from tasks.mail import purge_outbox

    assert BEAT_SCHEDULE["purge-outbox"]["task"] == "tasks.mail.purge_outbox"
    db.session.add(OutboxMessage(message_id="<o@x>", to_address="a@example.org", subject="s",
                                 text_body="t", html_body="h", status="sent",
                                 created_at=utcnow() - timedelta(days=10),
                                 next_attempt_at=utcnow()))  # fmt: skip
    db.session.commit()
    app.config["OUTBOX_RETENTION_DAYS"] = 30
    assert purge_outbox.apply().get() == 0
    app.config["OUTBOX_RETENTION_DAYS"] = 7
    assert purge_outbox.apply().get() == 1
