"""Faults survived: Redis, SMTP and PostgreSQL go away and come back; nothing is lost
and nothing is sent twice."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import OutboxMessage
from tests.conftest import build_test_app

pytestmark = pytest.mark.services


def request_resets(client, emails):
    return [client.post("/auth/reset", data={"email": e}).status_code for e in emails]


def outbox_statuses() -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return dict(rows)


@pytest.fixture
def app_config(private_redis, smtp_server):
    return {
        "REDIS_URL": private_redis.url,
        "SMTP_URL": smtp_server.url,
        "RATELIMIT_STORAGE_URI": private_redis.url,
        "CELERY": {"broker_url": private_redis.url, "task_always_eager": False,
                   "task_serializer": "json", "accept_content": ["json"],
                   "task_ignore_result": True, "task_acks_late": True,
                   "broker_transport_options": {"socket_connect_timeout": 1}},
    }  # fmt: skip


def test_redis_outage_delays_email_but_loses_and_duplicates_nothing(
    app, make_user, private_redis, smtp_server, start_worker
):
    members = [make_user() for _ in range(5)]
    client = app.test_client()
    private_redis.stop()
    codes = request_resets(client, [m.email for m in members])
    codes += [client.post("/auth/register", data={"email": "x@y.nl"}).status_code]
    assert all(code < 500 for code in codes), codes
    assert outbox_statuses() == {"pending": 5}
    assert smtp_server.messages == []

    private_redis.start()
    start_worker(app)
    from tasks.mail import sweep_outbox

    sweep_outbox.delay()
    sweep_outbox.delay()  # A second sweep (or a second beat) must not duplicate anything.
    messages = smtp_server.wait_for(5, timeout=30)
    time.sleep(1)
    assert sorted(m["To"] for m in messages) == sorted(m.email for m in members)
    assert len({m["Message-ID"] for m in messages}) == 5
    assert outbox_statuses() == {"sent": 5}


class TestSMTPFaults:
    @pytest.fixture
    def app_config(self, smtp_server):
        return {"SMTP_URL": smtp_server.url}

    def test_refusal_and_dropped_connection_then_recovery_delivers_each_once(
        self, app, make_user, smtp_server
    ):
        from core.db import utcnow
        from tasks.mail import sweep_outbox

        members = [make_user() for _ in range(4)]
        client = app.test_client()
        smtp_server.refuse_with = "451 4.7.1 greylisted, try later"
        request_resets(client, [m.email for m in members[:2]])
        smtp_server.refuse_with = None
        smtp_server.drop_connections = 2
        request_resets(client, [m.email for m in members[2:]])
        assert outbox_statuses() == {"pending": 4}

        # Time passes: make the retries due, then the sweep runs (in-process here).
        db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
        db.session.commit()
        sweep_outbox()
        sweep_outbox()
        messages = smtp_server.wait_for(4)
        assert sorted(m["To"] for m in messages) == sorted(m.email for m in members)
        assert outbox_statuses() == {"sent": 4}

    def test_permanent_rejection_is_recorded_and_not_retried(self, app, make_user, smtp_server):
        from tasks.mail import sweep_outbox

        member = make_user()
        smtp_server.refuse_with = "550 5.1.1 mailbox unavailable"
        request_resets(app.test_client(), [member.email])
        assert outbox_statuses() == {"failed": 1}
        smtp_server.refuse_with = None
        assert sweep_outbox() == 0
        assert smtp_server.messages == []


def test_postgres_restart_gives_503_then_recovers_without_restart(
    request, private_postgres, tmp_path
):
    app = build_test_app(private_postgres.url, tmp_path, RENDER_500_IN_TESTS=True)
    client = app.test_client()
    stop = threading.Event()
    seen: list[int] = []

    def hammer():
        load_client = app.test_client()
        n = 0
        while not stop.is_set():
            n += 1
            seen.append(load_client.post("/auth/register", data={
                "email": f"load{n}@gemeente.nl", "password": "een lange zin als wachtwoord",
                "password_confirm": "een lange zin als wachtwoord", "display_name": f"Load {n}",
                "organisation": "Gemeente", "sector": 1, "function": 1, "region": 1,
                "accept_terms": "y"}).status_code)  # fmt: skip

    with app.app_context():
        worker = threading.Thread(target=hammer)
        worker.start()
        time.sleep(1)
        private_postgres.stop("immediate")
        time.sleep(0.5)
        assert client.get("/healthz").status_code == 503
        assert client.get("/over").status_code == 200  # Pages without data keep working.
        time.sleep(1)
        private_postgres.start()
        time.sleep(1)
        assert client.get("/healthz").status_code == 200
        stop.set()
        worker.join(20)

        assert set(seen) <= {200, 503}, set(seen)
        assert 503 in seen
        assert 200 in seen
        from auth.models import User

        db.session.remove()
        users = db.session.scalar(select(func.count(User.id)))
        mails = db.session.scalar(select(func.count(OutboxMessage.id)))
        # Each registration wrote its account and its confirmation email together, or neither.
        assert users == mails
        db.session.remove()
        db.engine.dispose()
