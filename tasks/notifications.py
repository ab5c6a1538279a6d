"""Digest tasks: thin wrappers around notifications.delivery."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from core.db import utcnow
from core.extensions import db
from tasks.beat import crontab, register


@shared_task(name="tasks.notifications.send_digest", acks_late=True)
def send_digest(user_id: int, period_key: str, now_iso: str | None = None) -> str:
    """Compose and queue one member's digest; safe to run any number of times."""
    from notifications.delivery import candidate_cache
    from notifications.delivery import send_digest as send

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    try:
        # Tasks of one run share `now`, so the run's candidates are loaded once per worker.
        candidates = candidate_cache.get(now)
        outcome = send(user_id, period_key, now, candidates=candidates)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcome.status


@shared_task(name="tasks.notifications.enqueue_due_digests")
def enqueue_due_digests(now_iso: str | None = None) -> int:
    """Hourly: start the digests due now, daily and weekly, in each member's zone."""
    from notifications.delivery import enqueue_due_digests as enqueue

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    return enqueue("daily", now) + enqueue("weekly", now)


register("notifications-digests", "tasks.notifications.enqueue_due_digests", crontab(minute=0))
