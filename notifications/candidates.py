"""Step 1 of composing digests (see notifications/digest.py): what any digest of the
period could show, read once for a whole run. Its size follows the amount of content,
never the number of members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from auth.models import User
from core.extensions import db
from core.taxonomy import Sector
from events.models import Event
from forum.models import Post, Thread
from groups.models import Group
from knowledge import digest as knowledge_digest

UPCOMING_WINDOW = timedelta(weeks=4)
OPEN_QUESTION_WINDOW = timedelta(days=21)
MIN_SECTORS = 3


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
    knowledge: list = field(default_factory=list)  # knowledge.digest.CandidateItem

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
        knowledge=knowledge_digest.load_new_items(since, until),
    )


def _upcoming_events(until: datetime) -> list[CandidateEvent]:
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
