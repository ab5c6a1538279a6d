"""Read-side selects for notifications."""

from __future__ import annotations

from sqlalchemy import func, select

from auth.models import User
from core.extensions import db
from groups.models import Group, Membership
from notifications.models import GroupMute, Notification

PAGE_SIZE = 50


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def unread_count_column():
    """The unread count as a scalar subquery on `User.id`, loaded with the member."""
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def recent_notifications(user_id: int, limit: int = PAGE_SIZE) -> list[Notification]:
    """The newest notifications; title and url are stored, so no further loading."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def my_groups(user_id: int) -> list[Group]:
    return list(
        db.session.scalars(
            select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(Membership.user_id == user_id, Membership.status == "active")
            .order_by(Group.name)
        )
    )


def muted_group_ids(user_id: int) -> set[int]:
    return set(db.session.scalars(select(GroupMute.group_id).where(GroupMute.user_id == user_id)))
