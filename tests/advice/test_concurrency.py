"""Two beat runs at the same moment (a second scheduler by mistake, or a retry that
overlaps the first run) queue one reminder: PostgreSQL, separate connections."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from advice import services
from advice.reminders import send_due_reminders
from core.extensions import db
from tests.conftest import sent_emails

RUNS = 6


@pytest.fixture
def app_config():
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": RUNS + 2, "max_overflow": 2,
                                          "pool_pre_ping": True}}  # fmt: skip


@pytest.fixture
def app(pg_app):
    return pg_app


def test_simultaneous_reminder_runs_queue_exactly_one_email(app, make_user, ask_advice):
    adviser = make_user(role="adviser")
    asked = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    question = ask_advice(make_user(), now=asked)
    services.take_question(question, adviser)
    db.session.commit()
    when = question.due_at - timedelta(hours=3)
    barrier = threading.Barrier(RUNS)
    counts: list = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                count = send_due_reminders(when, hours=24)
                db.session.commit()
            except Exception as exc:  # recorded and asserted below
                db.session.rollback()
                count = exc
            finally:
                db.session.remove()
        with lock:
            counts.append(count)

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) == [0] * (RUNS - 1) + [1]
    reminders = [m for m in sent_emails(to=adviser.email) if m.subject.startswith("Herinnering")]
    assert len(reminders) == 1
