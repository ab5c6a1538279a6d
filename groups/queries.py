"""Read-side selects for groups, shared by every feature that shows group content."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from core.extensions import db
from groups.models import Group, Membership


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
    """Ids of groups `user` may see in lists (all but other people's secret groups)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active_member:
        return select(Group.id).where(False)
    if user.is_admin:
        return select(Group.id)
    member_of = select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )
    return select(Group.id).where(or_(Group.visibility != "secret", Group.id.in_(member_of)))


def my_group_ids(user) -> Select:
    """Ids of groups `user` is an active member of."""
    return select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == "active"
    )
