"""Advice desk tasks (beat): reminders before a question goes late, the advisers'
morning overview, and the retention purge. Thin: the work is in advice/."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from flask import current_app

from core.db import utcnow
from core.extensions import db
from tasks.beat import crontab, register

REMINDER_INTERVAL_SECONDS = 15 * 60


def _now(now_iso: str | None) -> datetime:
    return datetime.fromisoformat(now_iso) if now_iso else utcnow()


@shared_task(name="tasks.advice.send_reminders", acks_late=True)
def send_reminders(now_iso: str | None = None) -> int:
    """Remind the assigned adviser once before a first answer is late (idempotent)."""
    from advice.reminders import send_due_reminders

    try:
        count = send_due_reminders(_now(now_iso))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count


@shared_task(name="tasks.advice.send_overviews", acks_late=True)
def send_overviews(now_iso: str | None = None) -> int:
    """Hourly; advisers whose local hour is ADVICE_OVERVIEW_HOUR get their overview."""
    from advice.reminders import send_morning_overviews

    try:
        count = send_morning_overviews(_now(now_iso))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count


@shared_task(name="tasks.advice.purge_expired", acks_late=True)
def purge_expired(now_iso: str | None = None) -> int:
    """Daily: erase closed questions older than ADVICE_RETENTION_DAYS (numbers stay)."""
    from advice.retention import purge_expired_questions

    try:
        count = purge_expired_questions(
            _now(now_iso), int(current_app.config["ADVICE_RETENTION_DAYS"])
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count


register("advice-reminders", "tasks.advice.send_reminders", REMINDER_INTERVAL_SECONDS)
register("advice-overviews", "tasks.advice.send_overviews", crontab(minute=0))
register("advice-retention", "tasks.advice.purge_expired", crontab(minute=30, hour=2))
