"""Event tasks: the periodic reminder run (beat, every 15 minutes)."""

from __future__ import annotations

from celery import shared_task

from core.extensions import db
from tasks.beat import register

REMINDER_INTERVAL_SECONDS = 15 * 60


@shared_task(name="tasks.events.send_reminders")
def send_reminders() -> int:
    """Queue reminders for events starting within EVENT_REMINDER_HOURS (idempotent)."""
    from events.services import send_due_reminders

    count = send_due_reminders()
    db.session.commit()
    return count


register("event-reminders", "tasks.events.send_reminders", REMINDER_INTERVAL_SECONDS)
