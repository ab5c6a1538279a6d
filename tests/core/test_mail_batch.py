"""Batch delivery: many outbox rows over one connection, still exactly once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from core.db import utcnow
from core.extensions import db
from core.mail import deliver_outbox_batch
from core.mail_transport import PermanentMailError, SMTPBackend, TemporaryMailError
from core.models import OutboxMessage


def _rows(count: int) -> list[int]:
    rows = [
        OutboxMessage(message_id=f"<m{n}@x>", to_address=f"lid{n}@example.org", subject="s",
                      text_body="t", html_body="<p>h</p>", next_attempt_at=utcnow())
        for n in range(count)
    ]  # fmt: skip
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def _statuses(ids: list[int]) -> list[str]:
    db.session.expire_all()
    return [db.session.get(OutboxMessage, row_id).status for row_id in ids]


class ScriptedBackend:
    """Fails the n-th message as told; counts connections opened."""

    def __init__(self, failures: dict[int, Exception] | None = None, lost: bool = False) -> None:
        self.failures = failures or {}
        self.lost = lost
        self.sent: list[str] = []
        self.connections = 0
        self.calls = 0

    @contextmanager
    def connection(self):
        self.connections += 1
        yield self

    def send(self, message, row_id, before_data=lambda: None):
        self.calls += 1
        error = self.failures.get(self.calls)
        if isinstance(error, RuntimeError):
            before_data()  # crashed while the data went out
        if error is not None:
            raise error
        before_data()
        self.sent.append(message["To"])


def test_a_batch_goes_over_one_connection_and_is_never_sent_twice(app):
    ids = _rows(5)
    backend = ScriptedBackend()
    assert deliver_outbox_batch(ids, backend)["sent"] == 5
    assert backend.connections == 1
    assert _statuses(ids) == ["sent"] * 5
    again = deliver_outbox_batch(ids, backend)
    assert again["skipped"] == 5
    assert len(backend.sent) == 5


def test_failures_in_a_batch_are_recorded_per_message(app):
    ids = _rows(4)
    backend = ScriptedBackend({2: PermanentMailError("550"), 3: TemporaryMailError("451")})
    outcome = deliver_outbox_batch(ids, backend)
    assert (outcome["sent"], outcome["failed"], outcome["pending"]) == (2, 1, 1)
    assert _statuses(ids) == ["sent", "failed", "pending", "sent"]
    retry = db.session.get(OutboxMessage, ids[2])
    assert retry.next_attempt_at > retry.created_at


def test_a_crash_during_the_data_leaves_only_that_message_unknown(app):
    ids = _rows(3)
    backend = ScriptedBackend({2: RuntimeError("worker lost mid-transfer")})
    deliver_outbox_batch(ids, backend)
    assert _statuses(ids) == ["sent", "unknown", "sent"]


def test_when_the_server_is_unreachable_the_rest_of_the_batch_is_released(app):
    ids = _rows(3)
    backend = ScriptedBackend({1: TemporaryMailError("ConnectionRefusedError")})
    backend.lost = True
    outcome = deliver_outbox_batch(ids, backend)
    assert outcome["pending"] == 3
    db.session.expire_all()
    rows = [db.session.get(OutboxMessage, row_id) for row_id in ids]
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1), ("pending", 0),
                                                      ("pending", 0)]  # fmt: skip
    assert backend.calls == 1


def test_an_unreachable_smtp_server_stops_the_batch(app):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ids = _rows(3)
    outcome = deliver_outbox_batch(ids, SMTPBackend(f"smtp://127.0.0.1:{port}"))
    assert outcome["pending"] == 3
    assert _statuses(ids) == ["pending"] * 3


@pytest.mark.services
def test_a_batch_reaches_a_real_smtp_server_once_and_survives_a_refusal(app, smtp_server):
    ids = _rows(4)
    backend = SMTPBackend(smtp_server.url)
    smtp_server.refuse_with = None
    outcome = deliver_outbox_batch(ids[:2], backend)
    assert outcome["sent"] == 2
    smtp_server.refuse_with = "550 5.1.1 no such user"
    assert deliver_outbox_batch(ids[2:3], backend)["failed"] == 1
    smtp_server.refuse_with = None
    assert deliver_outbox_batch(ids, backend)["sent"] == 1  # only the one still pending
    received = smtp_server.wait_for(3)
    assert sorted(m["To"] for m in received) == sorted(f"lid{n}@example.org" for n in (0, 1, 3))


def test_rows_another_worker_holds_are_reported_with_the_time_left_on_its_claim(app):
    ids = _rows(2)
    held = db.session.get(OutboxMessage, ids[0])
    held.status, held.claimed_at = "sending", utcnow()  # claimed by a worker, maybe dead
    db.session.commit()
    outcome = deliver_outbox_batch(ids, ScriptedBackend())
    assert outcome["sent"] == 1
    assert list(outcome.in_flight) == [ids[0]]
    assert 40 < outcome.in_flight[ids[0]] <= 46  # CLAIM_LEASE (45 s) and a second


def test_a_commit_with_several_emails_is_delivered_as_one_batch(app, monkeypatch):
    import core.mail
    from core.mail import queue_email

    batches = []
    real = core.mail.deliver_outbox_batch
    monkeypatch.setattr(core.mail, "deliver_outbox_batch",
                        lambda ids, backend=None: batches.append(ids) or real(ids, backend))  # fmt: skip
    queue_email("a@example.org", "core/test", subject="T", idempotency_key="b:1")
    queue_email("b@example.org", "core/test", subject="T", idempotency_key="b:2")
    db.session.commit()
    assert [len(ids) for ids in batches] == [2]
    assert _statuses(batches[0]) == ["sent", "sent"]
