"""Read-side selects for groups, shared by every feature that shows group content.

Listing pages (the group list, a group's home, the dashboard) run a fixed number of
queries whatever the number of groups or threads: authors and groups are eager-loaded
explicitly and read state comes from one outer join, never from a query per row.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from auth.models import User
from core.extensions import db
from core.taxonomy import Sector
from groups.models import Group, Membership

log = logging.getLogger(__name__)

THREADS_PER_PAGE = 20
DASHBOARD_LIMIT = 10
KIND_ORDER = {"regional": 0, "thematic": 1, "intervision": 2}


def membership_for(user, group) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def readable_group_ids(user) -> Select:
    """A subquery of the ids of groups whose content `user` may read.

    Mirrors `groups.policies.can_read_group`; every listing, search, digest and feed
    filters through it, so a closed group's titles never leak into a list.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active_member:
        return select(Group.id).where(False)
    if user.is_moderator:
        return select(Group.id)
    member_of = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )
    return select(Group.id).where(or_(Group.visibility == "members", Group.id.in_(member_of)))


def visible_group_ids(user) -> Select:
    """Ids of groups `user` may see in lists: all but secret ones, which only their members,
    invited members and admins see. Mirrors `groups.policies.can_see_group`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active_member:
        return select(Group.id).where(False)
    if user.is_admin:
        return select(Group.id)
    member_of = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status.in_(("active", "invited"))
    )
    return select(Group.id).where(or_(Group.visibility != "secret", Group.id.in_(member_of)))


def my_group_ids(user) -> Select:
    """Ids of groups `user` is an active member of."""
    return select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )


def personal_group_ids(user) -> Select:
    """Groups whose threads belong on `user`'s own pages (dashboard, group list counts):
    open groups and the groups they are a member of.

    A subset of `readable_group_ids`: site moderators may open any group to handle a
    report, but the titles of closed groups they are not in stay off their dashboard.
    """
    return select(Group.id).where(
        Group.id.in_(readable_group_ids(user)),
        or_(Group.visibility == "members", Group.id.in_(my_group_ids(user))),
    )


# --- read state ---------------------------------------------------------------------


def _forum():
    from forum import models

    return models


def _visible_threads():
    Thread = _forum().Thread
    return and_(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))


def _read_join(user_id: int):
    """The viewer's ThreadRead row, outer-joined onto Thread."""
    forum = _forum()
    return and_(forum.ThreadRead.thread_id == forum.Thread.id, forum.ThreadRead.user_id == user_id)


def _unread_condition():
    """True when the viewer never opened the thread or something was posted after the
    last post they read (or, without a post id, after the time they last read it)."""
    forum = _forum()
    Thread, ThreadRead = forum.Thread, forum.ThreadRead
    return or_(
        ThreadRead.id.is_(None),
        and_(
            ThreadRead.last_read_post_id.is_not(None),
            Thread.last_post_id > ThreadRead.last_read_post_id,
        ),
        and_(
            ThreadRead.last_read_post_id.is_(None),
            Thread.last_activity_at > ThreadRead.last_read_at,
        ),
    )


def is_unread(thread, read) -> bool:
    """The Python twin of `_unread_condition` for a row already loaded."""
    if read is None:
        return True
    if read.last_read_post_id is not None:
        return thread.last_post_id is not None and thread.last_post_id > read.last_read_post_id
    return thread.last_activity_at > read.last_read_at


@dataclass(frozen=True)
class ThreadRow:
    """A thread in a listing, with the viewer's read state."""

    thread: Any
    is_unread: bool
    is_new: bool  # never opened by the viewer
    new_replies: int = 0  # posts since the viewer's last visit (threads opened before)


def _listing(user) -> Select:
    """Select (Thread, the viewer's ThreadRead, posts since that read) in one statement:
    the count is a correlated subquery, so read state costs no query per row."""
    forum = _forum()
    Thread, ThreadRead, Post = forum.Thread, forum.ThreadRead, forum.Post
    new_replies = (
        select(func.count(Post.id))
        .where(
            Post.thread_id == Thread.id,
            Post.id > ThreadRead.last_read_post_id,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
        )
        .correlate(Thread, ThreadRead)
        .scalar_subquery()
    )
    return (
        select(Thread, ThreadRead, new_replies)
        .outerjoin(ThreadRead, _read_join(user.id))
        .where(_visible_threads())
    )


def _thread_rows(stmt: Select) -> list[ThreadRow]:
    return [
        ThreadRow(
            thread=thread,
            is_unread=is_unread(thread, read),
            is_new=read is None,
            new_replies=(new_replies or 0) if read is not None else 0,
        )
        for thread, read, new_replies in db.session.execute(stmt).all()
    ]


def unread_threads_per_group(user, group_ids: Select) -> dict[int, int]:
    """Threads with something unread for `user`, per group, in one grouped query."""
    forum = _forum()
    Thread, ThreadRead = forum.Thread, forum.ThreadRead
    stmt = (
        select(Thread.group_id, func.count(Thread.id))
        .outerjoin(ThreadRead, _read_join(user.id))
        .where(Thread.group_id.in_(group_ids), _visible_threads(), _unread_condition())
        .group_by(Thread.group_id)
    )
    return dict(db.session.execute(stmt).all())


def thread_counts(group_ids: Select) -> dict[int, int]:
    """Visible threads per group, in one grouped query."""
    Thread = _forum().Thread
    stmt = (
        select(Thread.group_id, func.count(Thread.id))
        .where(Thread.group_id.in_(group_ids), _visible_threads())
        .group_by(Thread.group_id)
    )
    return dict(db.session.execute(stmt).all())


# --- the group list -----------------------------------------------------------------


@dataclass(frozen=True)
class GroupListItem:
    group: Group
    membership: Membership | None
    thread_count: int | None  # None when the viewer may not read the group
    unread_count: int

    @property
    def status(self) -> str | None:
        return self.membership.status if self.membership else None


@dataclass
class GroupList:
    mine: list[GroupListItem] = field(default_factory=list)
    pending: list[GroupListItem] = field(default_factory=list)  # invited or requested
    thematic: list[GroupListItem] = field(default_factory=list)
    regional: list[GroupListItem] = field(default_factory=list)


def group_list(user) -> GroupList:
    """Every group `user` may see, with their membership: their own groups first, then
    invitations and requests, then the other thematic and regional groups.

    Thread and unread counts are given only for groups whose content `user` reads on
    their own pages (`personal_group_ids`), so a closed group's activity stays private.
    """
    stmt = (
        select(Group, Membership)
        .outerjoin(Membership, and_(Membership.group_id == Group.id, Membership.user_id == user.id))
        .where(Group.id.in_(visible_group_ids(user)))
    )
    rows = db.session.execute(stmt).all()
    scope = personal_group_ids(user)
    threads = thread_counts(scope)
    unread = unread_threads_per_group(user, my_group_ids(user))

    def _reads_on_own_pages(group: Group, membership: Membership | None) -> bool:
        # The Python twin of `personal_group_ids` for rows already loaded.
        return group.visibility == "members" or (membership is not None and membership.is_active)

    def sort_key(item: GroupListItem):
        group = item.group
        own_region = group.kind == "regional" and group.region_id == user.region_id
        return (0 if own_region else 1, KIND_ORDER.get(group.kind, 9), group.label.lower())

    result = GroupList()
    for group, membership in rows:
        item = GroupListItem(
            group=group,
            membership=membership,
            thread_count=threads.get(group.id, 0)
            if _reads_on_own_pages(group, membership)
            else None,
            unread_count=unread.get(group.id, 0),
        )
        status = item.status
        if status == "active":
            result.mine.append(item)
        elif status in {"invited", "requested"}:
            result.pending.append(item)
        elif group.kind == "regional":
            result.regional.append(item)
        else:
            result.thematic.append(item)
    for bucket in (result.mine, result.pending, result.thematic, result.regional):
        bucket.sort(key=sort_key)
    return result


# --- a group's home -----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def group_threads(user, group: Group, page: int = 1, per_page: int = THREADS_PER_PAGE) -> Page:
    """A page of the group's visible threads: pinned first, then by last activity, with
    authors (and their sectors), tags and the viewer's read state in three queries."""
    Thread = _forum().Thread
    total = (
        db.session.scalar(
            select(func.count(Thread.id)).where(Thread.group_id == group.id, _visible_threads())
        )
        or 0
    )
    page = max(1, min(page, max(1, ceil(total / per_page))))
    stmt = (
        _listing(user)
        .where(Thread.group_id == group.id)
        .options(joinedload(Thread.author), selectinload(Thread.tags))
        .order_by(Thread.is_pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(items=_thread_rows(stmt), page=page, per_page=per_page, total=total)


def member_sectors(group: Group) -> list[tuple[Sector, int]]:
    """Which sectors the group's active members come from, largest first."""
    count = func.count(Membership.id)
    stmt = (
        select(Sector, count)
        .join(User, User.sector_id == Sector.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == "active",
            User.status == "active",
        )
        .group_by(Sector.id)
        .order_by(count.desc(), Sector.position)
    )
    return [(sector, n) for sector, n in db.session.execute(stmt).all()]


def group_memberships(group: Group, statuses: tuple[str, ...] = ("active",)) -> list[Membership]:
    """Memberships with their members (and sectors) eager-loaded: coordinators first."""
    stmt = (
        select(Membership)
        .join(Membership.user)
        .where(Membership.group_id == group.id, Membership.status.in_(statuses))
        .options(joinedload(Membership.user))
        .order_by(
            case((Membership.role == "coordinator", 0), else_=1),
            func.lower(User.display_name),
        )
    )
    return list(db.session.scalars(stmt))


def coordinators(group: Group) -> list[User]:
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == "active",
            Membership.role == "coordinator",
            User.status == "active",
        )
        .order_by(func.lower(User.display_name))
    )
    return list(db.session.scalars(stmt))


def pending_request_count(group: Group) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group.id, Membership.status == "requested"
            )
        )
        or 0
    )


# --- events (a hook into the events feature) ------------------------------------------


def _events_queries():
    """`events.queries` when the events feature is installed, else None."""
    if importlib.util.find_spec("events") is None:
        return None
    from events import queries

    return queries


def upcoming_group_events(group: Group, user, limit: int = 5) -> list:
    """The group's next events (`events.queries.EventItem`s), or [] without events."""
    events = _events_queries()
    finder = getattr(events, "upcoming_events_for_group", None)
    return finder(group, user, limit) if finder else []


def my_next_events(user, limit: int = 5) -> list:
    """The next events `user` registered for, or [] without the events feature."""
    events = _events_queries()
    finder = getattr(events, "my_next_events", None)
    return finder(user, limit) if finder else []


# --- the dashboard ------------------------------------------------------------------


@dataclass
class Dashboard:
    memberships: list[Membership]  # active and invited, groups eager-loaded
    unread: dict[int, int]
    requests_to_review: dict[int, int]  # group id -> open join requests (for coordinators)
    recent: list[ThreadRow]
    unanswered: list[ThreadRow]
    events: list

    @property
    def active(self) -> list[Membership]:
        return [m for m in self.memberships if m.status == "active"]

    @property
    def invitations(self) -> list[Membership]:
        return [m for m in self.memberships if m.status == "invited"]


def dashboard(user, limit: int = DASHBOARD_LIMIT) -> Dashboard:
    """What a member sees on `/`: their groups with unread counts, recent threads in the
    groups they follow, unanswered questions in their groups and from their sector."""
    Thread = _forum().Thread
    memberships = list(
        db.session.scalars(
            select(Membership)
            .join(Membership.group)
            .where(Membership.user_id == user.id, Membership.status.in_(("active", "invited")))
            .options(joinedload(Membership.group))
            .order_by(func.lower(Group.name))
        )
    )
    scope = personal_group_ids(user)
    mine = my_group_ids(user)
    unread = unread_threads_per_group(user, mine)

    coordinated = [m.group_id for m in memberships if m.is_coordinator]
    requests: dict[int, int] = {}
    if coordinated:
        requests = dict(
            db.session.execute(
                select(Membership.group_id, func.count(Membership.id))
                .where(Membership.group_id.in_(coordinated), Membership.status == "requested")
                .group_by(Membership.group_id)
            ).all()
        )

    listing = _listing(user).options(joinedload(Thread.author), joinedload(Thread.group))
    # Threads of the groups I am in; a member in no group yet sees the open groups.
    recent_scope = mine if any(m.is_active for m in memberships) else scope
    recent = _thread_rows(
        listing.where(Thread.group_id.in_(recent_scope), Thread.group_id.in_(scope))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    author = User.__table__.alias("question_author")
    from_my_sector = (
        Thread.author_id.in_(select(author.c.id).where(author.c.sector_id == user.sector_id))
        if user.sector_id
        else false()
    )
    unanswered = _thread_rows(
        listing.where(
            Thread.group_id.in_(scope),
            Thread.kind == "question",
            Thread.accepted_post_id.is_(None),
            or_(Thread.author_id.is_(None), Thread.author_id != user.id),
            or_(Thread.group_id.in_(mine), from_my_sector),
        )
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return Dashboard(
        memberships=memberships,
        unread=unread,
        requests_to_review=requests,
        recent=recent,
        unanswered=unanswered,
        events=my_next_events(user),
    )
