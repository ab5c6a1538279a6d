"""Compose a member's digest: a pure service (no Celery, no request).

Composition is in two steps so that it scales to many members:

1. `load_candidates(since, until)` reads, once for a whole digest run, what any digest
   of the period could show: the visible threads of the window with their facts
   (group, kind, author's sector, sectors that took part), the groups, and upcoming
   events. Its size follows the amount of content, never the number of members.
2. `compose_digest(member, start, end, candidates=...)` picks that member's items in
   Python from what they may read (one query), adds the new replies in threads they
   follow (one query), and re-checks the few chosen items against the database (one
   query), so something hidden, deleted, cancelled or made private after step 1 is
   never shown.

Nothing the member may not read (groups.queries.readable_group_ids), nothing hidden or
deleted, nothing from muted groups or threads. Items from closed and secret groups carry
only a title and a link: `excerpt` is empty for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from types import SimpleNamespace

from sqlalchemy import Select, bindparam, func, literal, or_, select, union, union_all
from sqlalchemy.orm import aliased

from auth.models import User
from core.extensions import db
from core.i18n import current_language
from core.taxonomy import Sector
from core.text import excerpt as make_excerpt
from core.text import html_to_text
from forum.models import Post, Thread, ThreadWatch
from groups.models import Group, Membership
from groups.queries import readable_group_ids
from notifications.models import GroupMute

SECTION_LIMIT = 8
EXCERPT_LENGTH = 200
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


# --- step 1: what any digest of the period could show -----------------------------------


@dataclass(frozen=True)
class CandidateGroup:
    id: int
    name: str
    visibility: str
    region_id: int | None


@dataclass(frozen=True)
class CandidateThread:
    id: int
    group_id: int
    title: str
    kind: str
    author_id: int | None
    author_sector_id: int | None
    is_answered: bool
    reply_count: int
    created_at: datetime
    last_activity_at: datetime
    sector_ids: frozenset[int]


@dataclass(frozen=True)
class CandidateEvent:
    id: int
    group_id: int
    title: str
    starts_at: datetime


@dataclass
class DigestCandidates:
    """Everything visible that a digest for a period ending at `until` may pick from:
    threads created or active since `since`, all groups and the events starting in the
    four weeks after `until`. Shared by every member's digest of a run (read-only)."""

    since: datetime
    until: datetime
    groups: dict[int, CandidateGroup]
    threads: list[CandidateThread]
    events: list[CandidateEvent]
    sector_names: dict[int, tuple[str, str]]  # id -> (Dutch, English)

    def __post_init__(self) -> None:
        # Indexes, so that picking one member's items touches only what concerns them.
        self.by_group: dict[int, list[CandidateThread]] = {}
        self.open_questions_by_sector: dict[int, list[CandidateThread]] = {}
        self.cross_sector = [t for t in self.threads if len(t.sector_ids) >= MIN_SECTORS]
        self.groups_by_region: dict[int, set[int]] = {}
        for t in self.threads:
            self.by_group.setdefault(t.group_id, []).append(t)
            if t.kind == "question" and not t.is_answered and t.author_sector_id is not None:
                self.open_questions_by_sector.setdefault(t.author_sector_id, []).append(t)
        for group in self.groups.values():
            if group.region_id is not None:
                self.groups_by_region.setdefault(group.region_id, set()).add(group.id)

    def covers(self, start: datetime, end: datetime) -> bool:
        return end == self.until and start >= self.since


def candidates_since(start: datetime, end: datetime) -> datetime:
    """The window a run loads: the period itself and the open-question window."""
    return min(start, end - OPEN_QUESTION_WINDOW)


def load_candidates(since: datetime, until: datetime) -> DigestCandidates:
    """Three queries, whatever the number of members."""
    author = aliased(User)
    threads = db.session.execute(
        select(
            Thread.id, Thread.group_id, Thread.title, Thread.kind, Thread.author_id,
            author.sector_id.label("author_sector_id"), Thread.accepted_post_id,
            Thread.reply_count, Thread.created_at, Thread.last_activity_at,
        )
        .outerjoin(author, author.id == Thread.author_id)
        .where(
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
            or_(Thread.created_at >= since, Thread.last_activity_at >= since),
            Thread.created_at < until,
        )
    ).all()  # fmt: skip
    # Which sectors wrote a visible post in each thread active in the window.
    poster = aliased(User)
    active = (
        select(Thread.id)
        .where(
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
            Thread.last_activity_at >= since,
            Thread.created_at < until,
        )
        .scalar_subquery()
    )
    sectors: dict[int, set[int]] = {}
    for thread_id, sector_id in db.session.execute(
        select(Post.thread_id, poster.sector_id)
        .join(poster, poster.id == Post.author_id)
        .where(
            Post.thread_id.in_(active),
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            poster.sector_id.is_not(None),
        )
        .distinct()
    ):
        sectors.setdefault(thread_id, set()).add(sector_id)
    groups = {
        row.id: CandidateGroup(row.id, row.name, row.visibility, row.region_id)
        for row in db.session.execute(
            select(Group.id, Group.name, Group.visibility, Group.region_id)
        )
    }
    return DigestCandidates(
        since=since,
        until=until,
        groups=groups,
        threads=[
            CandidateThread(
                id=row.id,
                group_id=row.group_id,
                title=row.title,
                kind=row.kind,
                author_id=row.author_id,
                author_sector_id=row.author_sector_id,
                is_answered=row.accepted_post_id is not None,
                reply_count=row.reply_count,
                created_at=row.created_at,
                last_activity_at=row.last_activity_at,
                sector_ids=frozenset(sectors.get(row.id, ())),
            )
            for row in threads
        ],
        events=_upcoming_events(until),
        sector_names={s.id: (s.name_nl, s.name_en) for s in db.session.scalars(select(Sector))},
    )


def _upcoming_events(until: datetime) -> list[CandidateEvent]:
    try:
        from events.models import Event
    except ImportError:  # events/ not built: no section
        return []
    rows = db.session.execute(
        select(Event.id, Event.group_id, Event.title, Event.starts_at)
        .where(
            Event.status == "scheduled",
            Event.starts_at >= until,
            Event.starts_at < until + UPCOMING_WINDOW,
            or_(Event.capacity.is_(None), Event.confirmed_count < Event.capacity),
        )
        .order_by(Event.starts_at, Event.id)
    )
    return [CandidateEvent(r.id, r.group_id, r.title, r.starts_at) for r in rows]


# --- step 2: one member ----------------------------------------------------------------


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


@cache
def _statements(is_moderator: bool) -> dict[str, Select]:
    """The per-member selects, built once per kind of reader. Parameters: member_id,
    period_start, period_end, thread_ids, event_ids."""
    who = _stand_in(is_moderator)
    member_id = who.id
    readable = readable_group_ids(who)
    statements: dict[str, Select] = {}

    # What the member may read, is in, and has muted: one round trip.
    statements["access"] = union_all(
        select(literal("read"), readable.subquery().c.id),
        select(literal("member"), Membership.group_id).where(
            Membership.user_id == member_id, Membership.status == "active"
        ),
        select(literal("mute_group"), GroupMute.group_id).where(GroupMute.user_id == member_id),
        select(literal("mute_thread"), ThreadWatch.thread_id).where(
            ThreadWatch.user_id == member_id, ThreadWatch.level == "mute"
        ),
    )

    # New replies (by others) in threads I watch or took part in. One IN over a union
    # lets the database start from the member's few threads (posts index on thread_id).
    followed = union(
        select(Post.thread_id).where(Post.author_id == member_id),
        select(ThreadWatch.thread_id).where(
            ThreadWatch.user_id == member_id, ThreadWatch.level == "watch"
        ),
    )
    reply_counts = (
        select(Post.thread_id, func.count(Post.id).label("n"))
        .where(
            Post.created_at >= bindparam("period_start"),
            Post.created_at < bindparam("period_end"),
            Post.depth > 0,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            _not_by(Post.author_id, member_id),
            Post.thread_id.in_(followed),
        )
        .group_by(Post.thread_id)
        .subquery()
    )
    muted_groups = select(GroupMute.group_id).where(GroupMute.user_id == member_id)
    muted_threads = select(ThreadWatch.thread_id).where(
        ThreadWatch.user_id == member_id, ThreadWatch.level == "mute"
    )
    statements["new_replies"] = (
        _shown_thread_select(readable)
        .add_columns(reply_counts.c.n)
        .join(reply_counts, reply_counts.c.thread_id == Thread.id)
        .where(Thread.group_id.not_in(muted_groups), Thread.id.not_in(muted_threads))
        .order_by(reply_counts.c.n.desc(), Thread.id.desc())
        .limit(SECTION_LIMIT)
    )

    # The chosen items as they are now: still visible and readable (fresh, not from
    # the shared candidates), with the opening post for excerpts.
    statements["threads_now"] = _shown_thread_select(readable).where(
        Thread.id.in_(bindparam("thread_ids", expanding=True))
    )
    try:
        from events.models import Event
    except ImportError:
        return statements
    statements["events_now"] = select(Event.id, Event.capacity, Event.confirmed_count).where(
        Event.id.in_(bindparam("event_ids", expanding=True)),
        Event.status == "scheduled",
        Event.group_id.in_(readable),
        or_(Event.capacity.is_(None), Event.confirmed_count < Event.capacity),
    )
    return statements


def _shown_thread_select(readable: Select) -> Select:
    """Visible threads in readable groups, with what an item shows (the opening post's
    html only to make open-group excerpts)."""
    first = aliased(Post)
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
            Thread.group_id.in_(readable),
        )
    )


@dataclass(frozen=True)
class _Access:
    readable: frozenset[int]
    mine: frozenset[int]
    muted_groups: frozenset[int]
    muted_threads: frozenset[int]


def _access(statements, member_id: int) -> _Access:
    found: dict[str, set[int]] = {"read": set(), "member": set(), "mute_group": set(),
                                  "mute_thread": set()}  # fmt: skip
    for kind, object_id in db.session.execute(statements["access"], {"member_id": member_id}):
        found[kind].add(object_id)
    return _Access(
        readable=frozenset(found["read"] - found["mute_group"]),
        mine=frozenset(found["member"]),
        muted_groups=frozenset(found["mute_group"]),
        muted_threads=frozenset(found["mute_thread"]),
    )


def _pick(member: User, start: datetime, end: datetime, c: DigestCandidates, access: _Access):
    """The member's candidate threads per section and events, in display order."""
    me = member.id
    near = access.mine | c.groups_by_region.get(member.region_id, set())  # mine or my region

    def shown(t: CandidateThread) -> bool:
        return t.group_id in access.readable and t.id not in access.muted_threads

    in_my_groups = [t for g in access.mine for t in c.by_group.get(g, ()) if shown(t)]
    new_threads = sorted(
        (t for t in in_my_groups if start <= t.created_at < end and t.author_id != me),
        key=lambda t: (t.created_at, t.id),
        reverse=True,
    )[:SECTION_LIMIT]
    questions_since = end - OPEN_QUESTION_WINDOW
    questions = {
        t.id: t
        for t in (
            *(t for t in in_my_groups if t.kind == "question" and not t.is_answered),
            *(t for t in c.open_questions_by_sector.get(member.sector_id, ()) if shown(t)),
        )
        if t.author_id != me and questions_since <= t.created_at < end
    }
    open_questions = sorted(
        questions.values(), key=lambda t: (t.reply_count, -t.created_at.timestamp(), -t.id)
    )[:SECTION_LIMIT]
    cross_sector = sorted(
        (t for t in c.cross_sector if t.last_activity_at >= start and t.group_id in near
         and shown(t)),
        key=lambda t: (len(t.sector_ids), t.last_activity_at, t.id),
        reverse=True,
    )[:SECTION_LIMIT]  # fmt: skip
    events = [e for e in c.events if e.group_id in access.readable and e.group_id in near]
    return new_threads, open_questions, cross_sector, events[:SECTION_LIMIT]


def compose_digest(
    member: User,
    period_start: datetime,
    period_end: datetime,
    *,
    base_url: str = "",
    candidates: DigestCandidates | None = None,
) -> Digest:
    """What happened for `member` between `period_start` and `period_end` (aware UTC).

    Callers composing many digests pass the run's shared `candidates`; then it takes
    three queries per member, whatever the amount of content. `base_url` prefixes links.
    """
    digest = Digest(member_id=member.id, period_start=period_start, period_end=period_end)
    if member.status != "active":
        return digest
    if candidates is None or not candidates.covers(period_start, period_end):
        candidates = load_candidates(candidates_since(period_start, period_end), period_end)
    english = current_language() == "en"
    names = {key: pair[1] if english else pair[0] for key, pair in candidates.sector_names.items()}
    statements = _statements(bool(member.is_moderator))
    access = _access(statements, member.id)
    new_threads, open_questions, cross_sector, events = _pick(
        member, period_start, period_end, candidates, access
    )
    shown_new = {t.id for t in new_threads}
    open_questions = [t for t in open_questions if t.id not in shown_new]
    chosen = {t.id for t in (*new_threads, *open_questions, *cross_sector)}
    now = {}
    if chosen:
        params = {"member_id": member.id, "thread_ids": sorted(chosen)}
        now = {row.id: row for row in db.session.execute(statements["threads_now"], params)}

    def items(threads, extra=lambda t: {}):
        return [_to_item(now[t.id], base_url=base_url, **extra(t)) for t in threads if t.id in now]

    digest.new_threads.extend(items(new_threads))
    replies = db.session.execute(
        statements["new_replies"],
        {"member_id": member.id, "period_start": period_start, "period_end": period_end},
    )
    digest.new_replies.extend(_to_item(r, new_replies=r.n, base_url=base_url) for r in replies)
    digest.open_questions.extend(items(open_questions))
    digest.cross_sector.extend(
        items(cross_sector, lambda t: {"sectors": sorted(names.get(s, "") for s in t.sector_ids)})
    )
    if events and "events_now" in statements:
        places = {
            row.id: row
            for row in db.session.execute(
                statements["events_now"],
                {"member_id": member.id, "event_ids": [e.id for e in events]},
            )
        }
        groups = candidates.groups
        digest.events.extend(
            DigestEvent(
                event_id=e.id,
                title=e.title,
                group_name=groups[e.group_id].name if e.group_id in groups else "",
                url=f"{base_url}/events/{e.id}",
                starts_at=e.starts_at,
                places_left=None
                if places[e.id].capacity is None
                else places[e.id].capacity - places[e.id].confirmed_count,
            )
            for e in events
            if e.id in places
        )
    return digest


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
        excerpt=make_excerpt(html_to_text(row.body_html), EXCERPT_LENGTH) if show_text else "",
        new_replies=new_replies,
        sectors=tuple(sectors),
    )


def _not_by(column, user_id):
    return or_(column.is_(None), column != user_id)
