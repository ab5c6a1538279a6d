"""Rebuilding the rollup tables the insight pages read.

The pages must answer fast on a community of 10,000 members and 400,000 posts, so they
never count posts themselves: a daily beat task (`tasks.insight.refresh_rollups`) counts
per region × month × sector (or theme) here, and the pages add up at most a few hundred
rows. Every query below returns counts only, never member rows.

Attribution: forum activity belongs to the region and sector of the member who started
the thread (or marked the signal); meetings to the region of the group that held them,
registrations to the registrant's sector; kennisbank reads to the reader's region (the
aggregate `knowledge_read_counts` holds no member). Months are calendar months in UTC.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    select,
)

from auth.models import User
from core.db import utcnow
from core.extensions import db
from events.models import Event, Registration
from forum.models import Post, Thread, thread_tags
from groups.models import Group
from insight.models import MemberCount, Rollup, RollupRefresh, Signal
from insight.periods import month_of
from knowledge.models import KnowledgeItem, KnowledgeReadCount

ACTIVE_DAYS = 90
OPEN = "members"  # the one group visibility whose themes may be shown


def month_expr(column) -> ColumnElement[int]:
    """yyyymm of a UTC datetime column, in SQL, on PostgreSQL and SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        utc = func.timezone("UTC", column)
        return cast(func.extract("year", utc) * 100 + func.extract("month", utc), Integer)
    return cast(func.strftime("%Y%m", column), Integer)


def _visible_threads():
    return and_(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))


def _by_author_sector(stmt: Select, metric: str) -> Select:
    month = month_expr(Thread.created_at)
    sector = func.coalesce(User.sector_id, 0)
    return (
        stmt.add_columns(
            User.region_id, month, literal(metric), sector, func.count(distinct(Thread.id))
        )
        .join(User, User.id == Thread.author_id)
        .where(_visible_threads(), User.region_id.is_not(None))
        .group_by(User.region_id, month, sector)
    )


def multi_sector_thread_ids() -> Select:
    """Threads in whose shown posts members of two or more sectors wrote."""
    return (
        select(Post.thread_id)
        .join(User, User.id == Post.author_id)
        .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None), User.sector_id.is_not(None))
        .group_by(Post.thread_id)
        .having(func.count(distinct(User.sector_id)) >= 2)
    )


def _forum_metrics() -> list[Select]:
    base = select().select_from(Thread)
    return [
        _by_author_sector(base, "threads"),
        _by_author_sector(base.where(Thread.kind == "question"), "questions"),
        _by_author_sector(
            base.where(Thread.kind == "question", Thread.accepted_post_id.is_not(None)),
            "questions_answered",
        ),
        _by_author_sector(
            base.where(Thread.id.in_(multi_sector_thread_ids())), "multi_sector_threads"
        ),
    ]


def _theme_metrics() -> list[Select]:
    month = month_expr(Thread.created_at)
    threads = (
        select(
            User.region_id,
            month,
            literal("theme_threads"),
            thread_tags.c.tag_id,
            func.count(distinct(Thread.id)),
        )
        .select_from(thread_tags)
        .join(Thread, Thread.id == thread_tags.c.thread_id)
        .join(Group, Group.id == Thread.group_id)
        .join(User, User.id == Thread.author_id)
        .where(_visible_threads(), Group.visibility == OPEN, User.region_id.is_not(None))
        .group_by(User.region_id, month, thread_tags.c.tag_id)
    )
    signal_month = month_expr(Signal.created_at)
    signals = (
        select(
            Signal.region_id,
            signal_month,
            literal("theme_signals"),
            thread_tags.c.tag_id,
            func.count(distinct(Signal.id)),
        )
        .select_from(Signal)
        .join(Thread, Thread.id == Signal.thread_id)
        .join(thread_tags, thread_tags.c.thread_id == Thread.id)
        .join(Group, Group.id == Thread.group_id)
        .where(_visible_threads(), Group.visibility == OPEN)
        .group_by(Signal.region_id, signal_month, thread_tags.c.tag_id)
    )
    all_signals = (
        select(
            Signal.region_id, signal_month, literal("signals"), literal(0), func.count(Signal.id)
        )
        .join(Thread, Thread.id == Signal.thread_id)
        .where(_visible_threads())
        .group_by(Signal.region_id, signal_month)
    )
    return [threads, signals, all_signals]


def _event_metrics(now: datetime) -> list[Select]:
    month = month_expr(Event.starts_at)
    held = and_(Event.status == "scheduled", Event.starts_at < now, Group.region_id.is_not(None))
    events = (
        select(Group.region_id, month, literal("events_held"), literal(0), func.count(Event.id))
        .join(Group, Group.id == Event.group_id)
        .where(held)
        .group_by(Group.region_id, month)
    )
    sector = func.coalesce(User.sector_id, 0)

    def registrations(metric: str, *conditions) -> Select:
        return (
            select(Group.region_id, month, literal(metric), sector, func.count(Registration.id))
            .select_from(Registration)
            .join(Event, Event.id == Registration.event_id)
            .join(Group, Group.id == Event.group_id)
            .join(User, User.id == Registration.user_id)
            .where(held, Registration.status == "confirmed", *conditions)
            .group_by(Group.region_id, month, sector)
        )

    return [
        events,
        registrations("registrations"),
        registrations("attended", Registration.attended.is_(True)),
    ]


def day_month_expr(column) -> ColumnElement[int]:
    """yyyymm of a DATE column, in SQL, on PostgreSQL and SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("year", column) * 100 + func.extract("month", column), Integer)
    return cast(func.strftime("%Y%m", column), Integer)


def _knowledge_metrics() -> list[Select]:
    """Reads of items that are published now, per region, month and item."""
    month = day_month_expr(KnowledgeReadCount.day)
    return [
        select(
            KnowledgeReadCount.region_id,
            month,
            literal("kb_reads"),
            KnowledgeReadCount.item_id,
            func.sum(KnowledgeReadCount.count),
        )
        .join(KnowledgeItem, KnowledgeItem.id == KnowledgeReadCount.item_id)
        .where(KnowledgeItem.status == "published")
        .group_by(KnowledgeReadCount.region_id, month, KnowledgeReadCount.item_id)
    ]


def answer_seconds_rows() -> list[dict]:
    """Questions with an accepted answer per region × month asked × whole seconds to the
    accepted answer: the median of any period is taken from these, so the page does not
    read the threads table. One row per answered question at most (a few thousand on
    the bench data set); the seconds are worked out here, the same on both databases."""
    histogram: Counter = Counter()
    for region_id, asked, answered in db.session.execute(
        select(User.region_id, Thread.created_at, Post.created_at)
        .join(User, User.id == Thread.author_id)
        .join(Post, Post.id == Thread.accepted_post_id)
        .where(_visible_threads(), Thread.kind == "question", User.region_id.is_not(None))
    ):
        seconds = max(0, round((answered - asked).total_seconds()))
        histogram[(region_id, month_of(asked), seconds)] += 1
    return [
        {"region_id": r, "month": m, "metric": "answer_seconds", "key_id": k, "value": n}
        for (r, m, k), n in histogram.items()
    ]


def rollup_rows(now: datetime) -> list[dict]:
    """Every rollup row, computed from the source tables (what a refresh writes)."""
    columns = ("region_id", "month", "metric", "key_id", "value")
    rows = []
    statements = [*_forum_metrics(), *_theme_metrics(), *_event_metrics(now)]
    for stmt in [*statements, *_knowledge_metrics()]:
        for values in db.session.execute(stmt):
            row = dict(zip(columns, values, strict=True))
            row["month"], row["key_id"] = int(row["month"]), int(row["key_id"])
            rows.append(row)
    return rows + answer_seconds_rows()


def member_count_rows(now: datetime) -> list[dict]:
    """Members and members who wrote in the last 90 days, per region and sector."""
    sector = func.coalesce(User.sector_id, 0)
    members = {
        (region, sector_id): count
        for region, sector_id, count in db.session.execute(
            select(User.region_id, sector, func.count(User.id))
            .where(User.status == "active", User.region_id.is_not(None))
            .group_by(User.region_id, sector)
        )
    }
    recent_authors = (
        select(Post.author_id)
        .where(Post.created_at >= now - timedelta(days=ACTIVE_DAYS))
        .distinct()
        .subquery()
    )
    active = {
        (region, sector_id): count
        for region, sector_id, count in db.session.execute(
            select(User.region_id, sector, func.count(User.id))
            .join(recent_authors, recent_authors.c.author_id == User.id)
            .where(User.status == "active", User.region_id.is_not(None))
            .group_by(User.region_id, sector)
        )
    }
    return [
        {
            "region_id": region,
            "sector_id": sector_id,
            "members": count,
            "active_members": active.get((region, sector_id), 0),
            "refreshed_at": now,
        }
        for (region, sector_id), count in members.items()
    ]


def refresh_rollups(now: datetime | None = None) -> int:
    """Rebuild both rollup tables from scratch in the current transaction (readers keep
    seeing the previous figures until it commits), with a new refresh stamp (which
    retires every cached page computed from the old rows). Flushes only; returns the
    rows written."""
    now = now or utcnow()
    rows = rollup_rows(now)
    counts = member_count_rows(now)
    db.session.execute(delete(Rollup))
    db.session.execute(delete(MemberCount))
    db.session.execute(delete(RollupRefresh))
    db.session.add(RollupRefresh(stamp=uuid4().hex, refreshed_at=now))
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Rollup), rows[start : start + 5000])
    if counts:
        db.session.execute(insert(MemberCount), counts)
    db.session.flush()
    return len(rows) + len(counts)
