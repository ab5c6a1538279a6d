"""What a member sees on `/`: their groups, recent threads, unanswered questions and
their next events (moved here from groups/queries.py; the dashboard composes features).

A fixed number of queries whatever the number of groups or threads: the member's groups
with their unread and request counts in one, both thread lists in another. The
statements are built once per process with bound parameters (building them costs more
than running them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, false, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from auth.models import User
from core.extensions import db
from events.queries import my_next_events
from forum.listings import (
    ThreadRow,
    by_creation,
    by_last_activity,
    fetch_rows,
    rows_statement,
    up_to_date_thread_count,
    visible_thread_count,
    visible_threads,
)
from forum.models import Thread
from groups.models import Group, Membership
from groups.queries import personal_group_condition

DASHBOARD_LIMIT = 10


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


@cache
def _my_groups_statement() -> Select:
    """The member's active and invited memberships with their groups, the unread threads
    of each active one and the open join requests of each group they coordinate."""
    user_id = bindparam("user_id")
    requested = aliased(Membership)
    is_active = Membership.status == "active"
    requests = case(
        (
            and_(is_active, Membership.role == "coordinator"),
            select(func.count(requested.id))
            .where(requested.group_id == Membership.group_id, requested.status == "requested")
            .scalar_subquery(),
        ),
        else_=0,
    )
    unread = case(
        (
            is_active,
            visible_thread_count(Membership.group_id)
            - up_to_date_thread_count(user_id, Membership.group_id),
        ),
        else_=0,
    )
    return (
        select(Membership, requests, unread)
        .join(Membership.group)
        .where(Membership.user_id == user_id, Membership.status.in_(("active", "invited")))
        .options(contains_eager(Membership.group).lazyload(Group.region))
        .order_by(func.lower(Group.name))
    )


@cache
def _lists_statement(in_groups: bool, with_sector: bool, is_member: bool) -> Select:
    """Recent threads and unanswered questions in one statement. Bound: `viewer_id`,
    `mine` (the ids of the viewer's active groups), `sector_id`, `limit`."""
    mine = bindparam("mine", expanding=True)
    viewer_id = bindparam("viewer_id")
    # Threads in the member's own pages' scope (groups.queries.personal_group_ids).
    in_scope = personal_group_condition(is_member, mine)

    # Threads of the groups I am in; a member in no group yet sees the open groups.
    recent = (
        select(Thread.id)
        .join(Group, Group.id == Thread.group_id)
        .where(visible_threads(), in_scope)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(bindparam("limit"))
    )
    if in_groups:
        recent = recent.where(Thread.group_id.in_(mine))

    author = aliased(User, name="question_author")
    from_my_sector = author.sector_id == bindparam("sector_id") if with_sector else false()
    unanswered = (
        select(Thread.id)
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(author, author.id == Thread.author_id)
        .where(
            visible_threads(),
            in_scope,
            Thread.kind == "question",
            Thread.accepted_post_id.is_(None),
            or_(Thread.author_id.is_(None), Thread.author_id != viewer_id),
            or_(Thread.group_id.in_(mine), from_my_sector),
        )
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(bindparam("limit"))
    )
    return rows_statement([recent, unanswered])


def dashboard(user, limit: int = DASHBOARD_LIMIT) -> Dashboard:
    """What a member sees on `/`: their groups with unread counts, recent threads in the
    groups they follow, unanswered questions in their groups and from their sector."""
    memberships, requests, unread = [], {}, {}
    for membership, open_requests, unread_threads in db.session.execute(
        _my_groups_statement(), {"user_id": user.id}
    ):
        memberships.append(membership)
        if open_requests:
            requests[membership.group_id] = open_requests
        if unread_threads:
            unread[membership.group_id] = unread_threads
    mine = [m.group_id for m in memberships if m.is_active]
    stmt = _lists_statement(
        in_groups=bool(mine),
        with_sector=bool(user.sector_id),
        is_member=bool(getattr(user, "is_authenticated", False) and user.is_active_member),
    )
    params = {"viewer_id": user.id, "mine": mine, "sector_id": user.sector_id, "limit": limit}
    (recent, unanswered), _ = fetch_rows(stmt, params, [by_last_activity, by_creation])
    return Dashboard(
        memberships=memberships,
        unread=unread,
        requests_to_review=requests,
        recent=recent,
        unanswered=unanswered,
        events=my_next_events(user),
    )
