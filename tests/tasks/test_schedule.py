"""The scheduled work on the embedded broker (kombu's SQLAlchemy transport on SQLite):
beat's own scheduler, driven with a frozen clock, starts the weekly digest on its
schedule and a real Celery worker delivers it into instance/outbox."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.beat import Scheduler
from celery.contrib.testing.worker import start_worker
from sqlalchemy import create_engine, text

from core.db import utcnow
from core.extensions import db
from core.mail import queue_email
from forum.services import create_thread
from tasks.embedded import prepare_broker
from tests.factories import join, make_group

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def app_config(tmp_path):
    return {"CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"}


def _next_monday_eight_amsterdam() -> datetime:
    """The default weekly digest moment (Monday 08:00 local) after now."""
    local = utcnow().astimezone(AMSTERDAM)
    monday = (local + timedelta(days=(7 - local.weekday()) % 7 or 7)).date()
    return datetime(monday.year, monday.month, monday.day, 8, tzinfo=AMSTERDAM)


def _emails(outbox: Path) -> list:
    if not outbox.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]


def _wait_for_email(outbox: Path, timeout: float = 90.0) -> list:
    deadline = time.monotonic() + timeout
    while not _emails(outbox) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _emails(outbox)


def _broker_messages(app) -> int:
    url = app.config["CELERY_BROKER_URL"].removeprefix("sqla+")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM kombu_message"))
    finally:
        engine.dispose()


def _broker_payloads(app) -> list[str]:
    url = app.config["CELERY_BROKER_URL"].removeprefix("sqla+")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(text("SELECT payload FROM kombu_message")))
    finally:
        engine.dispose()


def test_an_outbox_commit_goes_to_the_broker_and_the_worker_delivers_it(app):
    celery = app.extensions["celery"]
    assert not celery.conf.task_always_eager
    queue_email("lid@example.org", "core/test", subject="Test", context={"note": "ok"})
    db.session.commit()
    outbox = Path(app.config["OUTBOX_DIR"])
    assert _emails(outbox) == []  # handed to the broker, not delivered in-process
    assert _broker_messages(app) == 1
    with start_worker(celery, pool="solo", perform_ping_check=False):
        [email] = _wait_for_email(outbox)
    assert email["To"] == "lid@example.org"


def test_beat_sends_the_weekly_digest_on_its_own_schedule(app, make_user):
    member, colleague = make_user(digest_opt_in=True), make_user()
    group = make_group()
    join(group, member)
    join(group, colleague)
    create_thread(
        group, colleague, title="Signalen van online radicalisering", body="Wat zien jullie?"
    )
    db.session.commit()
    outbox = Path(app.config["OUTBOX_DIR"])
    celery = app.extensions["celery"]
    prepare_broker(app.config["CELERY_BROKER_URL"])  # as `make run` does
    due = _next_monday_eight_amsterdam()
    with time_machine.travel(due - timedelta(seconds=30), tick=True) as clock:
        scheduler = Scheduler(app=celery)
        scheduler.tick()
        assert _broker_messages(app) == 0  # nothing is due at 07:59:30
        clock.move_to(due + timedelta(seconds=1))
        # Several hourly entries fall due at 08:00 (digests, the advisers' overview); beat
        # sends one due entry per tick, in an order of its own.
        for _ in scheduler.schedule:
            scheduler.tick()
        payloads = _broker_payloads(app)
        assert sum("tasks.notifications.enqueue_due_digests" in p for p in payloads) == 1
        with start_worker(celery, pool="solo", perform_ping_check=False):
            emails = _wait_for_email(outbox)
    [digest] = emails
    assert digest["To"] == member.email
    assert "1 nieuw gesprek" in digest["Subject"]
    assert "Signalen van online radicalisering" in digest.get_body(("plain",)).get_content()
