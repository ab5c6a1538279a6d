"""What a member sees on `/`: their groups, recent threads, unanswered questions and
their next events (moved here from groups/queries.py; the dashboard composes features).

A fixed number of queries whatever the number of groups or threads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload

from auth.models import User
from core.extensions import db
from events.queries import my_next_events
from forum.listings import ThreadRow, listing, thread_rows, unread_threads_per_group
from forum.models import Thread
from groups.models import Group, Membership
from groups.queries import my_group_ids, personal_group_ids

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


def dashboard(user, limit: int = DASHBOARD_LIMIT) -> Dashboard:
    """What a member sees on `/`: their groups with unread counts, recent threads in the
    groups they follow, unanswered questions in their groups and from their sector."""
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

    threads = listing(user).options(joinedload(Thread.author), joinedload(Thread.group))
    # Threads of the groups I am in; a member in no group yet sees the open groups.
    recent_scope = mine if any(m.is_active for m in memberships) else scope
    recent = thread_rows(
        threads.where(Thread.group_id.in_(recent_scope), Thread.group_id.in_(scope))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    author = User.__table__.alias("question_author")
    from_my_sector = (
        Thread.author_id.in_(select(author.c.id).where(author.c.sector_id == user.sector_id))
        if user.sector_id
        else false()
    )
    unanswered = thread_rows(
        threads.where(
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
