"""Read-side selects for groups, shared by every feature that shows group content.

The group list runs a fixed number of queries whatever the number of groups; the
thread and unread counts come from the forum through groups.hooks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cache

from flask import current_app
from sqlalchemy import Select, and_, bindparam, case, false, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload

from auth.models import User
from core.extensions import db
from core.taxonomy import Sector, TermLabel, term_labels
from groups.hooks import group_activity
from groups.models import Group, Membership

log = logging.getLogger(__name__)

KIND_ORDER = {"regional": 0, "thematic": 1, "intervision": 2}


def membership_for(user, group) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


@cache
def _group_and_membership_statement(count_requests: bool) -> Select:
    requested = aliased(Membership)
    requests = (
        select(func.count(requested.id))
        .where(requested.group_id == Group.id, requested.status == "requested")
        .scalar_subquery()
        if count_requests
        else literal(0)
    )
    return (
        select(Group, Membership, requests)
        .outerjoin(
            Membership,
            and_(Membership.group_id == Group.id, Membership.user_id == bindparam("user_id")),
        )
        .where(Group.slug == bindparam("slug"))
    )


def group_and_membership(
    user, slug: str, *, count_requests: bool = False
) -> tuple[Group | None, Membership | None, int]:
    """The group with this slug, `user`'s membership of it and (with `count_requests`)
    its open join requests, in one query: (None, None, 0) when there is no such group.
    The statement is built once per process (building it costs more than running it)."""
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    row = db.session.execute(
        _group_and_membership_statement(count_requests), {"user_id": user_id, "slug": slug}
    ).first()
    if row is None:
        return None, None, 0
    group, membership, open_requests = row
    return group, membership, open_requests or 0


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


def personal_group_condition(is_member: bool, my_group_ids):
    """`personal_group_ids` as a condition on a joined `Group`, for a member whose active
    groups are already loaded (`my_group_ids`: a list or an expanding bound parameter):
    PostgreSQL plans a filter on the joined row instead of nested subqueries. Open groups
    and the member's own; nothing for someone who is not an active member."""
    if not is_member:
        return false()
    return or_(Group.visibility == "members", Group.id.in_(my_group_ids))


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
    # Counted by the forum (groups.hooks): threads in what they read, unread in their groups.
    threads, unread = group_activity(user, scope, my_group_ids(user))

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


#: How long a process keeps a group's sector breakdown (keyed by its member count too).
MEMBER_SECTORS_SECONDS = 60.0


@cache
def _member_sectors_statement() -> Select:
    # Counted per sector id over the members (the memberships from the index alone): the
    # count reads every active member of the group, so it carries as little as possible
    # per member; the sectors' names come from the taxonomy copy.
    return (
        select(User.sector_id, func.count())
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == bindparam("group_id"),
            Membership.status == "active",
            User.status == "active",
            User.sector_id.is_not(None),
        )
        .group_by(User.sector_id)
    )


def member_sectors(group: Group) -> list[tuple[TermLabel, int]]:
    """Which sectors the group's active members come from, largest first.

    Counting reads every active member (10,000 in the largest group of the benchmark), so
    a process keeps the result for a minute, keyed by the group's member count: a member
    who joins or leaves shows at once, a member who changes sector or is suspended
    within a minute."""
    kept = current_app.extensions.setdefault("group_member_sectors", {})
    key = (group.id, group.member_count)
    now = time.monotonic()
    found = kept.get(key)
    if found is not None and found[0] > now:
        return found[1]
    labels = term_labels(Sector)
    rows = db.session.execute(_member_sectors_statement(), {"group_id": group.id}).all()
    breakdown = sorted(
        ((labels[sector_id], n) for sector_id, n in rows if sector_id in labels),
        key=lambda pair: (-pair[1], pair[0].position),
    )
    if len(kept) >= 1024:
        kept.clear()
    kept[key] = (now + MEMBER_SECTORS_SECONDS, breakdown)
    return breakdown


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


@cache
def _coordinators_statement() -> Select:
    return (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == bindparam("group_id"),
            Membership.status == "active",
            Membership.role == "coordinator",
            User.status == "active",
        )
        .options(lazyload(User.function), lazyload(User.region))
        .order_by(func.lower(User.display_name))
    )


def coordinators(group: Group) -> list[User]:
    """The group's active coordinators with their sectors, by name."""
    return list(db.session.scalars(_coordinators_statement(), {"group_id": group.id}))
