"""Insight tasks: thin wrappers around insight.rollups and insight.quarterly."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from core.db import utcnow
from core.extensions import db
from tasks.beat import crontab, register


@shared_task(name="tasks.insight.refresh_rollups")
def refresh_rollups(now_iso: str | None = None) -> int:
    """Daily: rebuild the rollup tables the insight pages read (idempotent)."""
    from insight.rollups import refresh_rollups as refresh

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    try:
        written = refresh(now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return written


@shared_task(name="tasks.insight.send_quarterly_summaries")
def send_quarterly_summaries(now_iso: str | None = None) -> int:
    """Daily: queue the last quarter's summary for subscribers who have not had it (the
    idempotency key `insight:<user>:<quarter>` makes it once per quarter)."""
    from insight.quarterly import send_quarterly_summaries as send

    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    try:
        queued = send(now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return queued


register("insight-rollups", "tasks.insight.refresh_rollups", crontab(minute=15, hour=2))
register("insight-quarterly", "tasks.insight.send_quarterly_summaries", crontab(minute=0, hour=7))
