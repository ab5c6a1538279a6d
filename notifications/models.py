"""Notification preferences, in-app notifications and the digest ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db

DIGEST_FREQUENCIES = ("never", "daily", "weekly")
#: Email streams a member can switch off; each maps to a boolean on the preference row
#: except "digest", which sets digest_frequency to "never".
EMAIL_KINDS = ("replies", "mentions", "answers", "event_changes", "reminders", "digest")


class NotificationPreference(db.Model):
    """One row per member, created lazily with defaults (see preferences.get_preferences)."""

    __tablename__ = "notification_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    digest_frequency: Mapped[str] = mapped_column(String(10), default="never", index=True)
    digest_weekday: Mapped[int] = mapped_column(default=0)  # 0 = Monday
    digest_hour: Mapped[int] = mapped_column(default=8)  # in the member's own time zone
    email_replies: Mapped[bool] = mapped_column(default=True)
    email_mentions: Mapped[bool] = mapped_column(default=True)
    email_answers: Mapped[bool] = mapped_column(default=True)
    email_event_changes: Mapped[bool] = mapped_column(default=True)
    email_reminders: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GroupMute(db.Model):
    """A member muted a group: no notifications or digest items from it."""

    __tablename__ = "notification_group_mutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))

    __table_args__ = (UniqueConstraint("user_id", "group_id"),)


class Notification(db.Model):
    """An in-app notification (the list at /notifications)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # No FK: events/ is built separately and the notification survives without it.
    event_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DigestRun(db.Model):
    """One digest per member per period: the database refuses a second one."""

    __tablename__ = "digest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="sent")  # sent | empty
    item_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "period"),)
