"""The reminder task through a real Celery worker, Redis and an SMTP server."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core.extensions import db
from events import registrations

pytestmark = pytest.mark.services


@pytest.fixture
def app_config(redis_url, smtp_server):
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp_server.url,
            "CELERY": {"broker_url": redis_url, "task_always_eager": False,
                       "task_serializer": "json", "accept_content": ["json"],
                       "task_ignore_result": True}}  # fmt: skip


def test_reminder_is_sent_exactly_once_even_when_the_task_runs_twice(
    app, make_user, make_group, make_event, smtp_server, start_worker
):
    from tasks.events import send_reminders

    event = make_event(make_group(), capacity=5, starts_in=timedelta(hours=10), title="Webinar")
    member = make_user()
    registrations.register_for_event(event, member)
    db.session.commit()
    start_worker(app)
    send_reminders.delay()
    send_reminders.delay()
    messages = smtp_server.wait_for(2, timeout=30)
    time.sleep(2)  # room for a duplicate to show up if there were one
    reminders = [m for m in smtp_server.messages if m["Subject"].startswith("Herinnering")]
    assert len(reminders) == 1, [m["Subject"] for m in messages]
    reminder = reminders[0]
    assert reminder["To"] == member.email
    parts = [p.get_filename() for p in reminder.iter_attachments()]
    assert parts == ["uitnodiging.ics"]
