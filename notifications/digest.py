"""Compose a member's digest: a pure service (no Celery, no request), a fixed number of
queries per member whatever the amount of content, so it scales to many members.

Nothing the member may not read (groups.queries.readable_group_ids), nothing hidden or
deleted, nothing from muted groups or threads. Items from closed and secret groups carry
only a title and a link: `excerpt` is empty for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import aliased

from auth.models import User
from core.extensions import db
from core.text import excerpt as make_excerpt
from forum.models import Post, Thread, ThreadWatch
from groups.models import Group
from groups.queries import my_group_ids, readable_group_ids
from notifications.models import GroupMute

SECTION_LIMIT = 8
UPCOMING_WINDOW = timedelta(weeks=4)
OPEN_QUESTION_WINDOW = timedelta(days=21)
MIN_SECTORS = 3


@dataclass(frozen=True)
class DigestThread:
    thread_id: int
    title: str
    group_name: str
    url: str
    created_at: datetime
    excerpt: str = ""  # empty for closed and secret groups
    new_replies: int = 0
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestEvent:
    event_id: int
    title: str
    group_name: str
    url: str
    starts_at: datetime
    places_left: int | None  # None: no capacity limit


@dataclass(frozen=True)
class Digest:
    member_id: int
    period_start: datetime
    period_end: datetime
    new_threads: list[DigestThread] = field(default_factory=list)
    new_replies: list[DigestThread] = field(default_factory=list)
    open_questions: list[DigestThread] = field(default_factory=list)
    cross_sector: list[DigestThread] = field(default_factory=list)
    events: list[DigestEvent] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return (
            len(self.new_threads)
            + len(self.new_replies)
            + len(self.open_questions)
            + len(self.cross_sector)
            + len(self.events)
        )

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0


def _visible_threads(member):
    """Conditions every thread in a digest meets."""
    muted_groups = select(GroupMute.group_id).where(GroupMute.user_id == member.id)
    muted_threads = select(ThreadWatch.thread_id).where(
        ThreadWatch.user_id == member.id, ThreadWatch.level == "mute"
    )
    return and_(
        Thread.hidden_at.is_(None),
        Thread.deleted_at.is_(None),
        Thread.group_id.in_(readable_group_ids(member)),
        Thread.group_id.not_in(muted_groups),
        Thread.id.not_in(muted_threads),
    )


def _thread_columns():
    first = aliased(Post)
    cols = (
        Thread.id,
        Thread.title,
        Thread.created_at,
        Group.name,
        Group.visibility,
        first.body_html,
        first.hidden_at,
        first.deleted_at,
    )
    return cols, first


def _to_item(row, sectors=(), new_replies=0, base_url="") -> DigestThread:
    show_text = (
        row.visibility == "members"
        and row.body_html is not None
        and row.hidden_at is None
        and row.deleted_at is None
    )
    return DigestThread(
        thread_id=row.id,
        title=row.title,
        group_name=row.name,
        url=f"{base_url}/threads/{row.id}",
        created_at=row.created_at,
        excerpt=make_excerpt(row.body_html, 200) if show_text else "",
        new_replies=new_replies,
        sectors=tuple(sectors),
    )


def _base_thread_select(member):
    cols, first = _thread_columns()
    stmt = (
        select(*cols)
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(first, first.id == Thread.first_post_id)
        .where(_visible_threads(member))
    )
    return stmt


def compose_digest(
    member: User,
    period_start: datetime,
    period_end: datetime,
    *,
    base_url: str = "",
    sector_names: dict[int, str] | None = None,
) -> Digest:
    """What happened for `member` between `period_start` and `period_end` (aware UTC).

    `base_url` prefixes the links; `sector_names` (id -> label) may be passed in by a
    caller composing many digests, to save a query each.
    """
    digest = Digest(member_id=member.id, period_start=period_start, period_end=period_end)
    if member.status != "active":
        return digest
    in_period = and_(Thread.created_at >= period_start, Thread.created_at < period_end)
    mine = my_group_ids(member)

    # 1. New threads in my groups (not my own).
    stmt = (
        _base_thread_select(member)
        .where(in_period, Thread.group_id.in_(mine), _not_by(Thread.author_id, member.id))
        .order_by(Thread.created_at.desc())
        .limit(SECTION_LIMIT)
    )
    new_thread_rows = db.session.execute(stmt).all()
    digest.new_threads.extend(_to_item(r, base_url=base_url) for r in new_thread_rows)
    shown = {r.id for r in new_thread_rows}

    # 2. New replies (by others) in threads I watch or took part in.
    took_part = select(Post.thread_id).where(Post.author_id == member.id)
    watching = select(ThreadWatch.thread_id).where(
        ThreadWatch.user_id == member.id, ThreadWatch.level == "watch"
    )
    reply_counts = (
        select(Post.thread_id, func.count(Post.id).label("n"))
        .where(
            Post.created_at >= period_start,
            Post.created_at < period_end,
            Post.depth > 0,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            _not_by(Post.author_id, member.id),
            or_(Post.thread_id.in_(took_part), Post.thread_id.in_(watching)),
        )
        .group_by(Post.thread_id)
        .subquery()
    )
    stmt = (
        _base_thread_select(member)
        .add_columns(reply_counts.c.n)
        .join(reply_counts, reply_counts.c.thread_id == Thread.id)
        .order_by(reply_counts.c.n.desc(), Thread.id.desc())
        .limit(SECTION_LIMIT)
    )
    for row in db.session.execute(stmt):
        digest.new_replies.append(_to_item(row, new_replies=row.n, base_url=base_url))

    # 3. Open questions in my groups or asked by someone of my sector.
    author = aliased(User)
    scope = [Thread.group_id.in_(mine)]
    if member.sector_id:
        scope.append(author.sector_id == member.sector_id)
    stmt = (
        _base_thread_select(member)
        .outerjoin(author, author.id == Thread.author_id)
        .where(
            Thread.kind == "question",
            Thread.accepted_post_id.is_(None),
            Thread.created_at >= period_end - OPEN_QUESTION_WINDOW,
            Thread.created_at < period_end,
            _not_by(Thread.author_id, member.id),
            or_(*scope),
        )
        .order_by(Thread.reply_count.asc(), Thread.created_at.desc())
        .limit(SECTION_LIMIT)
    )
    digest.open_questions.extend(
        _to_item(r, base_url=base_url) for r in db.session.execute(stmt) if r.id not in shown
    )

    # 4. "Van andere sectoren geleerd": active threads in my groups or region where at
    #    least three sectors wrote a visible post.
    poster = aliased(User)
    sector_count = (
        select(Post.thread_id, func.count(distinct(poster.sector_id)).label("n"))
        .join(poster, poster.id == Post.author_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Thread.last_activity_at >= period_start,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            poster.sector_id.is_not(None),
        )
        .group_by(Post.thread_id)
        .having(func.count(distinct(poster.sector_id)) >= MIN_SECTORS)
        .subquery()
    )
    where_region = [Thread.group_id.in_(mine)]
    if member.region_id:
        where_region.append(Group.region_id == member.region_id)
    stmt = (
        _base_thread_select(member)
        .join(sector_count, sector_count.c.thread_id == Thread.id)
        .where(or_(*where_region))
        .order_by(sector_count.c.n.desc(), Thread.last_activity_at.desc())
        .limit(SECTION_LIMIT)
    )
    cross_rows = db.session.execute(stmt).all()
    if cross_rows:
        pairs = db.session.execute(
            select(Post.thread_id, User.sector_id)
            .join(User, User.id == Post.author_id)
            .where(
                Post.thread_id.in_([r.id for r in cross_rows]),
                Post.hidden_at.is_(None),
                Post.deleted_at.is_(None),
                User.sector_id.is_not(None),
            )
            .distinct()
        ).all()
        names = sector_names if sector_names is not None else load_sector_names()
        by_thread: dict[int, list[str]] = {}
        for thread_id, sector_id in pairs:
            by_thread.setdefault(thread_id, []).append(names.get(sector_id, ""))
        for r in cross_rows:
            digest.cross_sector.append(
                _to_item(r, sectors=sorted(by_thread.get(r.id, [])), base_url=base_url)
            )

    # 5. Upcoming events with places left in my groups or region.
    digest.events.extend(_upcoming_events(member, period_end, mine, base_url))
    return digest


def _not_by(column, user_id: int):
    return or_(column.is_(None), column != user_id)


def load_sector_names() -> dict[int, str]:
    from core.taxonomy import Sector

    return {s.id: s.label for s in db.session.scalars(select(Sector))}


def _upcoming_events(member, now: datetime, mine, base_url: str) -> list[DigestEvent]:
    try:
        from events.models import Event
    except ImportError:  # events/ not built (yet): no section
        return []
    scope = [Event.group_id.in_(mine)]
    if member.region_id:
        scope.append(Group.region_id == member.region_id)
    muted_groups = select(GroupMute.group_id).where(GroupMute.user_id == member.id)
    stmt = (
        select(Event.id, Event.title, Event.starts_at, Event.capacity, Event.confirmed_count)
        .add_columns(Group.name)
        .join(Group, Group.id == Event.group_id)
        .where(
            Event.status == "scheduled",
            Event.starts_at >= now,
            Event.starts_at < now + UPCOMING_WINDOW,
            Event.group_id.in_(readable_group_ids(member)),
            Event.group_id.not_in(muted_groups),
            or_(Event.capacity.is_(None), Event.confirmed_count < Event.capacity),
            or_(*scope),
        )
        .order_by(Event.starts_at)
        .limit(SECTION_LIMIT)
    )
    return [
        DigestEvent(
            event_id=row.id,
            title=row.title,
            group_name=row.name,
            url=f"{base_url}/events/{row.id}",
            starts_at=row.starts_at,
            places_left=None if row.capacity is None else row.capacity - row.confirmed_count,
        )
        for row in db.session.execute(stmt)
    ]
