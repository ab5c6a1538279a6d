"""Signals from the field, the rollup tables the insight pages read, and the quarterly
email subscription of policy officers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db

NOTE_MAX = 300

#: Rollup metrics, each counted per region × month × key (a sector id, a tag id, or 0).
#: "sector" metrics partition by the sector of the member concerned; "tag" metrics count
#: threads in open groups only (closed and secret groups count in the totals only);
#: "item" metrics are keyed by kennisbank item id; "total" metrics have key 0.
METRICS = {
    "threads": "sector",  # threads started by members of the region (all groups)
    "questions": "sector",  # of which questions
    "questions_answered": "sector",  # questions with an accepted answer (by now)
    "multi_sector_threads": "sector",  # threads in which two or more sectors wrote
    "registrations": "sector",  # confirmed registrations for meetings held in the region
    "attended": "sector",  # registrations marked as attended
    "events_held": "total",  # meetings of the region's groups that took place
    "signals": "total",  # signals by members of the region (all groups)
    "theme_threads": "tag",  # threads in open groups per theme
    "theme_signals": "tag",  # signals on threads in open groups per theme
    "kb_reads": "item",  # reads of published kennisbank items by members of the region
    # questions with an accepted answer, keyed by the whole seconds from asking to the
    # accepted answer (a histogram: the page takes the median over the period's months)
    "answer_seconds": "seconds",
}


class Signal(db.Model):
    """A member marks a thread as a signal from their region, with one sentence."""

    __tablename__ = "insight_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The member's region when they marked it: the signal stays with that region.
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    note: Mapped[str] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # One signal per member per thread, whatever the concurrency.
        UniqueConstraint("thread_id", "user_id"),
        Index("ix_insight_signals_region_id_created_at", "region_id", "created_at"),
    )


class Rollup(db.Model):
    """A count per region, month (yyyymm, UTC), metric and key; rebuilt by
    `insight.rollups.refresh_rollups` (daily beat task)."""

    __tablename__ = "insight_rollups"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    month: Mapped[int]
    metric: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[int] = mapped_column(default=0)
    value: Mapped[int]

    __table_args__ = (
        UniqueConstraint("region_id", "metric", "month", "key_id"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )


class RollupRefresh(db.Model):
    """One row: a random stamp written by every refresh of the rollup tables, committed
    with them. Whatever is computed from the rollups may be cached under this stamp (a
    rolled-back refresh leaves the old one, a new refresh never repeats one)."""

    __tablename__ = "insight_rollup_refreshes"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberCount(db.Model):
    """Members and members active in the last 90 days per region and sector, as of the
    last refresh (a snapshot, not a time series)."""

    __tablename__ = "insight_member_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    sector_id: Mapped[int] = mapped_column(default=0)  # 0: no sector given
    members: Mapped[int]
    active_members: Mapped[int]
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("region_id", "sector_id"),)


class QuarterlySubscription(db.Model):
    """A policy officer opted in to the quarterly summary email."""

    __tablename__ = "insight_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
