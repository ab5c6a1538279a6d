"""Compose a member's digest: a pure service (no Celery, no request), a fixed number of
queries per member whatever the amount of content, so it scales to many members.

Nothing the member may not read (groups.queries.readable_group_ids), nothing hidden or
deleted, nothing from muted groups or threads. Items from closed and secret groups carry
only a title and a link: `excerpt` is empty for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from types import SimpleNamespace

from sqlalchemy import Select, bindparam, distinct, func, or_, select, union
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


def _stand_in(is_moderator: bool) -> SimpleNamespace:
    """A member whose id is a bind parameter, so the shared permission subqueries
    (groups.queries) are built once and the statements cached, not rebuilt per member."""
    return SimpleNamespace(
        id=bindparam("member_id"),
        is_authenticated=True,
        is_active_member=True,
        is_moderator=is_moderator,
        is_admin=False,
    )


def _base_thread_select(who):
    """Visible threads the member may read, outside muted groups and threads, with the
    columns a digest item needs (the opening post's html only to make open-group excerpts)."""
    first = aliased(Post)
    muted_groups = select(GroupMute.group_id).where(GroupMute.user_id == who.id)
    muted_threads = select(ThreadWatch.thread_id).where(
        ThreadWatch.user_id == who.id, ThreadWatch.level == "mute"
    )
    return (
        select(
            Thread.id,
            Thread.title,
            Thread.created_at,
            Group.name,
            Group.visibility,
            first.body_html,
            first.hidden_at,
            first.deleted_at,
        )
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(first, first.id == Thread.first_post_id)
        .where(
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
            Thread.group_id.in_(readable_group_ids(who)),
            Thread.group_id.not_in(muted_groups),
            Thread.id.not_in(muted_threads),
        )
    )


@cache
def _statements(is_moderator: bool) -> dict[str, Select]:
    """The digest's selects, built once per kind of reader. Parameters: member_id,
    sector_id, region_id, period_start, period_end, questions_since."""
    who = _stand_in(is_moderator)
    member_id = who.id
    start, end = bindparam("period_start"), bindparam("period_end")
    mine = my_group_ids(who)
    statements: dict[str, Select] = {}

    # 1. New threads in my groups (not my own).
    statements["new_threads"] = (
        _base_thread_select(who)
        .where(
            Thread.created_at >= start,
            Thread.created_at < end,
            Thread.group_id.in_(mine),
            _not_by(Thread.author_id, member_id),
        )
        .order_by(Thread.created_at.desc())
        .limit(SECTION_LIMIT)
    )

    # 2. New replies (by others) in threads I watch or took part in.
    # One IN over a union lets the database start from the member's few threads
    # (posts index on thread_id) instead of every post of the period.
    followed = union(
        select(Post.thread_id).where(Post.author_id == member_id),
        select(ThreadWatch.thread_id).where(
            ThreadWatch.user_id == member_id, ThreadWatch.level == "watch"
        ),
    )
    reply_counts = (
        select(Post.thread_id, func.count(Post.id).label("n"))
        .where(
            Post.created_at >= start,
            Post.created_at < end,
            Post.depth > 0,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            _not_by(Post.author_id, member_id),
            Post.thread_id.in_(followed),
        )
        .group_by(Post.thread_id)
        .subquery()
    )
    statements["new_replies"] = (
        _base_thread_select(who)
        .add_columns(reply_counts.c.n)
        .join(reply_counts, reply_counts.c.thread_id == Thread.id)
        .order_by(reply_counts.c.n.desc(), Thread.id.desc())
        .limit(SECTION_LIMIT)
    )

    # 3. Open questions in my groups or asked by someone of my sector.
    author = aliased(User)
    statements["open_questions"] = (
        _base_thread_select(who)
        .outerjoin(author, author.id == Thread.author_id)
        .where(
            Thread.kind == "question",
            Thread.accepted_post_id.is_(None),
            Thread.created_at >= bindparam("questions_since"),
            Thread.created_at < end,
            _not_by(Thread.author_id, member_id),
            or_(Thread.group_id.in_(mine), author.sector_id == bindparam("sector_id")),
        )
        .order_by(Thread.reply_count.asc(), Thread.created_at.desc())
        .limit(SECTION_LIMIT)
    )

    # 4. "Van andere sectoren geleerd": threads active in the period, in my groups or
    #    region, where at least three sectors wrote a visible post.
    poster = aliased(User)
    active_thread = aliased(Thread)
    thread_group = aliased(Group)
    sector_count = (
        select(Post.thread_id, func.count(distinct(poster.sector_id)).label("n"))
        .join(poster, poster.id == Post.author_id)
        .join(active_thread, active_thread.id == Post.thread_id)
        .join(thread_group, thread_group.id == active_thread.group_id)
        .where(
            active_thread.last_activity_at >= start,
            # Only candidate threads: the count is per member's groups, not site-wide.
            or_(
                active_thread.group_id.in_(mine),
                thread_group.region_id == bindparam("region_id"),
            ),
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            poster.sector_id.is_not(None),
        )
        .group_by(Post.thread_id)
        .having(func.count(distinct(poster.sector_id)) >= MIN_SECTORS)
        .subquery()
    )
    statements["cross_sector"] = (
        _base_thread_select(who)
        .join(sector_count, sector_count.c.thread_id == Thread.id)
        .where(or_(Thread.group_id.in_(mine), Group.region_id == bindparam("region_id")))
        .order_by(sector_count.c.n.desc(), Thread.last_activity_at.desc())
        .limit(SECTION_LIMIT)
    )
    statements["cross_sector_names"] = (
        select(Post.thread_id, User.sector_id)
        .join(User, User.id == Post.author_id)
        .where(
            Post.thread_id.in_(bindparam("thread_ids", expanding=True)),
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            User.sector_id.is_not(None),
        )
        .distinct()
    )

    # 5. Upcoming events with places left in my groups or region.
    try:
        from events.models import Event
    except ImportError:  # events/ not built: no section
        return statements
    muted_groups = select(GroupMute.group_id).where(GroupMute.user_id == member_id)
    statements["events"] = (
        select(Event.id, Event.title, Event.starts_at, Event.capacity, Event.confirmed_count)
        .add_columns(Group.name)
        .join(Group, Group.id == Event.group_id)
        .where(
            Event.status == "scheduled",
            Event.starts_at >= end,
            Event.starts_at < bindparam("events_until"),
            Event.group_id.in_(readable_group_ids(who)),
            Event.group_id.not_in(muted_groups),
            or_(Event.capacity.is_(None), Event.confirmed_count < Event.capacity),
            or_(Event.group_id.in_(mine), Group.region_id == bindparam("region_id")),
        )
        .order_by(Event.starts_at)
        .limit(SECTION_LIMIT)
    )
    return statements


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


def compose_digest(
    member: User,
    period_start: datetime,
    period_end: datetime,
    *,
    base_url: str = "",
    sector_names: dict[int, str] | None = None,
) -> Digest:
    """What happened for `member` between `period_start` and `period_end` (aware UTC).

    Six queries at most, whatever the amount of content. `base_url` prefixes the links;
    `sector_names` (id -> label) may be passed by a caller composing many digests.
    """
    digest = Digest(member_id=member.id, period_start=period_start, period_end=period_end)
    if member.status != "active":
        return digest
    statements = _statements(bool(member.is_moderator))
    params = {
        "member_id": member.id,
        "sector_id": member.sector_id,
        "region_id": member.region_id,
        "period_start": period_start,
        "period_end": period_end,
        "questions_since": period_end - OPEN_QUESTION_WINDOW,
        "events_until": period_end + UPCOMING_WINDOW,
    }

    def rows(name: str, **extra):
        return db.session.execute(statements[name], {**params, **extra}).all()

    new_threads = rows("new_threads")
    digest.new_threads.extend(_to_item(r, base_url=base_url) for r in new_threads)
    shown = {r.id for r in new_threads}
    digest.new_replies.extend(
        _to_item(r, new_replies=r.n, base_url=base_url) for r in rows("new_replies")
    )
    digest.open_questions.extend(
        _to_item(r, base_url=base_url) for r in rows("open_questions") if r.id not in shown
    )
    cross_rows = rows("cross_sector")
    if cross_rows:
        names = sector_names if sector_names is not None else load_sector_names()
        by_thread: dict[int, list[str]] = {}
        for thread_id, sector_id in rows(
            "cross_sector_names", thread_ids=[r.id for r in cross_rows]
        ):
            by_thread.setdefault(thread_id, []).append(names.get(sector_id, ""))
        digest.cross_sector.extend(
            _to_item(r, sectors=sorted(by_thread.get(r.id, [])), base_url=base_url)
            for r in cross_rows
        )
    if "events" in statements:
        digest.events.extend(
            DigestEvent(
                event_id=r.id,
                title=r.title,
                group_name=r.name,
                url=f"{base_url}/events/{r.id}",
                starts_at=r.starts_at,
                places_left=None if r.capacity is None else r.capacity - r.confirmed_count,
            )
            for r in rows("events")
        )
    return digest


def _not_by(column, user_id: int):
    return or_(column.is_(None), column != user_id)


def load_sector_names() -> dict[int, str]:
    from core.taxonomy import Sector

    return {s.id: s.label for s in db.session.scalars(select(Sector))}
