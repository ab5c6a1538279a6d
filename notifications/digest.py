"""Compose a member's digest: a pure service (no Celery, no request).

Composition is in two steps so that it scales to many members:

1. `load_candidates(since, until)` (notifications/candidates.py) reads, once for a whole digest run, what any digest
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
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import literal, or_, select, union, union_all
from sqlalchemy.orm import aliased

from auth.models import User
from core.extensions import db
from core.text import excerpt as make_excerpt
from core.text import html_to_text
from events.models import Event
from forum.models import Post, Thread, ThreadWatch
from groups.models import Group, Membership
from groups.policies import can_read_group
from knowledge import digest as knowledge_digest
from notifications.candidates import (
    OPEN_QUESTION_WINDOW,
    CandidateEvent,
    CandidateThread,
    DigestCandidates,
    candidates_since,
    load_candidates,
)
from notifications.models import GroupMute

SECTION_LIMIT = 8
EXCERPT_LENGTH = 200


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
    knowledge: list = field(default_factory=list)  # knowledge.digest.DigestKnowledgeItem

    @property
    def item_count(self) -> int:
        return (
            len(self.knowledge)
            + len(self.new_threads)
            + len(self.new_replies)
            + len(self.open_questions)
            + len(self.cross_sector)
            + len(self.events)
        )

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0


# --- step 2: the members ---------------------------------------------------------------


@dataclass
class _Access:
    """One member's groups, mutes and reading rights, from fresh data."""

    member: User
    mine: set[int] = field(default_factory=set)
    muted_groups: set[int] = field(default_factory=set)
    muted_threads: set[int] = field(default_factory=set)

    def may_read(self, group_id: int, visibility: str) -> bool:
        """groups.policies.can_read_group, with the membership already known."""
        membership = _ACTIVE if group_id in self.mine else None
        group = SimpleNamespace(visibility=visibility)
        return can_read_group(self.member, group, membership) and group_id not in self.muted_groups


_ACTIVE = SimpleNamespace(status="active", role="member")


def _access(members: list[User]) -> dict[int, _Access]:
    """Memberships and mutes of all `members`: one query."""
    access = {m.id: _Access(m) for m in members}
    ids = list(access)
    rows = db.session.execute(
        union_all(
            select(literal("member"), Membership.user_id, Membership.group_id).where(
                Membership.user_id.in_(ids), Membership.status == "active"
            ),
            select(literal("mute_group"), GroupMute.user_id, GroupMute.group_id).where(
                GroupMute.user_id.in_(ids)
            ),
            select(literal("mute_thread"), ThreadWatch.user_id, ThreadWatch.thread_id).where(
                ThreadWatch.user_id.in_(ids), ThreadWatch.level == "mute"
            ),
        )
    )
    for kind, member_id, object_id in rows:
        a = access[member_id]
        {"member": a.mine, "mute_group": a.muted_groups, "mute_thread": a.muted_threads}[kind].add(
            object_id
        )
    return access


def _new_replies(starts: dict[int, datetime], end: datetime) -> dict[int, dict[int, int]]:
    """member -> {thread: replies by others since the member's start}, for threads the
    member watches or took part in: one query for all members."""
    ids = list(starts)
    followed = union(
        select(Post.author_id.label("member_id"), Post.thread_id).where(Post.author_id.in_(ids)),
        select(ThreadWatch.user_id, ThreadWatch.thread_id).where(
            ThreadWatch.user_id.in_(ids), ThreadWatch.level == "watch"
        ),
    ).subquery()
    rows = db.session.execute(
        select(followed.c.member_id, Post.thread_id, Post.created_at)
        .join(Post, Post.thread_id == followed.c.thread_id)
        .where(
            Post.created_at >= min(starts.values()),
            Post.created_at < end,
            Post.depth > 0,
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            or_(Post.author_id.is_(None), Post.author_id != followed.c.member_id),
        )
    )
    counts: dict[int, dict[int, int]] = {member_id: {} for member_id in ids}
    for member_id, thread_id, created_at in rows:
        if created_at >= starts[member_id]:
            mine = counts[member_id]
            mine[thread_id] = mine.get(thread_id, 0) + 1
    return counts


def _threads_now(thread_ids: set[int]) -> dict:
    """The chosen threads as they are now (fresh, not from the shared candidates): only
    visible ones, with their group's visibility and the opening post for excerpts."""
    if not thread_ids:
        return {}
    first = aliased(Post)
    rows = db.session.execute(
        select(
            Thread.id, Thread.title, Thread.created_at, Thread.group_id, Group.name,
            Group.visibility, first.body_html, first.hidden_at, first.deleted_at,
        )
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(first, first.id == Thread.first_post_id)
        .where(
            Thread.id.in_(sorted(thread_ids)),
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
        )
    )  # fmt: skip
    return {row.id: row for row in rows}


def _events_now(event_ids: set[int]) -> dict:
    """The chosen events as they are now: still scheduled, still with places."""
    if not event_ids:
        return {}

    rows = db.session.execute(
        select(Event.id, Event.capacity, Event.confirmed_count, Event.group_id, Group.visibility)
        .join(Group, Group.id == Event.group_id)
        .where(
            Event.id.in_(sorted(event_ids)),
            Event.status == "scheduled",
            or_(Event.capacity.is_(None), Event.confirmed_count < Event.capacity),
        )
    )
    return {row.id: row for row in rows}


@dataclass
class _Picked:
    new_threads: list[CandidateThread]
    open_questions: list[CandidateThread]
    cross_sector: list[CandidateThread]
    events: list[CandidateEvent]
    replies: dict[int, int]


def _pick(
    member: User, start: datetime, end: datetime, c: DigestCandidates, access: _Access, replies
) -> _Picked:
    """The member's candidates per section, in display order (re-checked afterwards)."""
    me = member.id
    near = access.mine | c.groups_by_region.get(member.region_id, set())  # mine or my region

    def shown(t: CandidateThread) -> bool:
        group = c.groups.get(t.group_id)
        return (
            group is not None
            and t.id not in access.muted_threads
            and access.may_read(group.id, group.visibility)
        )

    in_my_groups = [t for g in access.mine for t in c.by_group.get(g, ()) if shown(t)]
    new_threads = sorted(
        (t for t in in_my_groups if start <= t.created_at < end and t.author_id != me),
        key=lambda t: (t.created_at, t.id),
        reverse=True,
    )[:SECTION_LIMIT]
    shown_new = {t.id for t in new_threads}
    questions_since = end - OPEN_QUESTION_WINDOW
    questions = {
        t.id: t
        for t in (
            *(t for t in in_my_groups if t.kind == "question" and not t.is_answered),
            *(t for t in c.open_questions_by_sector.get(member.sector_id, ()) if shown(t)),
        )
        if t.author_id != me and questions_since <= t.created_at < end and t.id not in shown_new
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
    events = [
        e
        for e in c.events
        if e.group_id in near
        and e.group_id in c.groups
        and access.may_read(e.group_id, c.groups[e.group_id].visibility)
    ][:SECTION_LIMIT]
    replies = {t: n for t, n in replies.items() if t not in access.muted_threads}
    return _Picked(new_threads, open_questions, cross_sector, events, replies)


def compose_digests(
    members: list[User],
    starts: dict[int, datetime],
    end: datetime,
    *,
    base_url: str = "",
    candidates: DigestCandidates | None = None,
) -> dict[int, Digest]:
    """The digests of many members for periods from `starts[member.id]` to `end`.

    Four queries for the whole batch (plus three to load `candidates` when they are not
    given): memberships and mutes, new replies in followed threads, and the chosen
    threads and events re-read as they are now. Sector names are in each member's
    language.
    """
    digests = {m.id: Digest(member_id=m.id, period_start=starts[m.id], period_end=end)
               for m in members}  # fmt: skip
    members = [m for m in members if m.status == "active"]
    if not members:
        return digests
    earliest = min(starts[m.id] for m in members)
    if candidates is None or not candidates.covers(earliest, end):
        candidates = load_candidates(candidates_since(earliest, end), end)
    access = _access(members)
    replies = _new_replies({m.id: starts[m.id] for m in members}, end)
    picked = {
        m.id: _pick(m, starts[m.id], end, candidates, access[m.id], replies[m.id]) for m in members
    }
    thread_ids: set[int] = set()
    event_ids: set[int] = set()
    for p in picked.values():
        thread_ids.update(t.id for t in (*p.new_threads, *p.open_questions, *p.cross_sector))
        thread_ids.update(p.replies)
        event_ids.update(e.id for e in p.events)
    threads = _threads_now(thread_ids)
    events = _events_now(event_ids)
    knowledge = knowledge_digest.pick_for_members(
        members, starts, candidates.knowledge, base_url=base_url
    )
    for member in members:
        _fill(digests[member.id], member, picked[member.id], access[member.id], threads,
              events, candidates, base_url)  # fmt: skip
        digests[member.id].knowledge.extend(knowledge[member.id])
    return digests


def _fill(digest, member, p: _Picked, access: _Access, threads, events, c, base_url) -> None:
    english = (member.language or "nl") == "en"

    def readable_now(thread_id: int):
        row = threads.get(thread_id)
        if row is None or not access.may_read(row.group_id, row.visibility):
            return None
        return row

    def items(chosen, extra=lambda t: {}):
        rows = ((t, readable_now(t.id)) for t in chosen)
        return [_to_item(row, base_url=base_url, **extra(t)) for t, row in rows if row]

    digest.new_threads.extend(items(p.new_threads))
    ranked = sorted(p.replies.items(), key=lambda item: (item[1], item[0]), reverse=True)
    for thread_id, count in ranked:
        row = readable_now(thread_id)
        if row is not None and len(digest.new_replies) < SECTION_LIMIT:
            digest.new_replies.append(_to_item(row, new_replies=count, base_url=base_url))
    digest.open_questions.extend(items(p.open_questions))

    def sectors(t: CandidateThread) -> dict:
        names = (c.sector_names.get(s, ("", "")) for s in t.sector_ids)
        return {"sectors": sorted(pair[1] if english else pair[0] for pair in names)}

    digest.cross_sector.extend(items(p.cross_sector, sectors))
    for e in p.events:
        row = events.get(e.id)
        if row is None or not access.may_read(row.group_id, row.visibility):
            continue
        group = c.groups.get(e.group_id)
        digest.events.append(
            DigestEvent(
                event_id=e.id,
                title=e.title,
                group_name=group.name if group else "",
                url=f"{base_url}/events/{e.id}",
                starts_at=e.starts_at,
                places_left=None if row.capacity is None else row.capacity - row.confirmed_count,
            )
        )


def compose_digest(
    member: User,
    period_start: datetime,
    period_end: datetime,
    *,
    base_url: str = "",
    candidates: DigestCandidates | None = None,
) -> Digest:
    """What happened for `member` between `period_start` and `period_end` (aware UTC):
    `compose_digests` for one member."""
    return compose_digests(
        [member], {member.id: period_start}, period_end, base_url=base_url, candidates=candidates
    )[member.id]


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
