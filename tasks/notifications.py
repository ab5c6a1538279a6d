"""Digest tasks: thin wrappers around notifications.delivery."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from core.db import utcnow
from core.extensions import db
from notifications import delivery
from tasks.beat import crontab, register


@shared_task(name="tasks.notifications.send_digest", acks_late=True)
def send_digest(user_id: int, period_key: str, now_iso: str | None = None) -> str:
    """Compose and queue one member's digest (a resend, say); safe to run any number of
    times. The hourly run uses `send_digests` for batches of members."""
    from notifications.delivery import send_digest as send

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    try:
        outcome = send(user_id, period_key, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return outcome.status


@shared_task(name="tasks.notifications.send_digests", acks_late=True)
def send_digests(
    user_ids: list[int], period_key: str, now_iso: str | None = None, run_id: str | None = None
) -> dict:
    """Compose and queue the digests of a batch of members (one period) in one
    transaction; safe to run any number of times. Returns a count per outcome. Tasks
    with the same `run_id` share the run's candidates within a worker process."""
    from notifications.delivery import candidate_cache
    from notifications.delivery import send_digests as send

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    try:
        candidates = candidate_cache.get(now, run_id)
        outcomes = send(user_ids, period_key, now, candidates=candidates)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts


@shared_task(name="tasks.notifications.enqueue_due_digests")
def enqueue_due_digests(now_iso: str | None = None) -> int:
    """Hourly: start the digests due now, daily and weekly, in each member's zone."""
    from notifications.delivery import enqueue_due_digests as enqueue

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    return enqueue("daily", now) + enqueue("weekly", now)


delivery.register_batch_task(send_digests)
register("notifications-digests", "tasks.notifications.enqueue_due_digests", crontab(minute=0))
