"""Events (meetings a group's coordinators schedule) and registrations for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.taxonomy import EventType
from groups.models import Group

EVENT_STATUSES = ("scheduled", "cancelled")
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "pending", "cancelled", "declined")
#: Statuses that hold a place (or a place in line): one per member and event at most.
ACTIVE_STATUSES = ("confirmed", "waitlisted", "pending")
DEFAULT_TIMEZONE = "Europe/Amsterdam"

_ACTIVE_SQL = "status IN ('confirmed', 'waitlisted', 'pending')"


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    event_type_id: Mapped[int | None] = mapped_column(ForeignKey("event_types.id"))
    title: Mapped[str] = mapped_column(String(150))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # None means unlimited.
    capacity: Mapped[int | None]
    registration_deadline: Mapped[datetime | None]
    requires_approval: Mapped[bool] = mapped_column(default=False)
    accreditation_register: Mapped[str] = mapped_column(String(100), default="")
    accreditation_points: Mapped[int | None]
    chatham_house: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    ics_sequence: Mapped[int] = mapped_column(default=0)
    # Maintained with a conditional UPDATE: the database, not Python, keeps it <= capacity.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    # Why the coordinator cancelled: shown on the page, in the email and the calendar file.
    cancellation_reason: Mapped[str] = mapped_column(Text, default="")

    group: Mapped[Group] = relationship()
    event_type: Mapped[EventType | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(
            "capacity IS NULL OR confirmed_count <= capacity", name="capacity_not_exceeded"
        ),
        CheckConstraint("confirmed_count >= 0", name="confirmed_count_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count >= self.capacity

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.status}>"


class Registration(db.Model):
    __tablename__ = "event_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # Waitlist order: set after the seat decision, so it follows the order of the row lock.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attended: Mapped[bool | None]
    reminder_sent_at: Mapped[datetime | None]
    # Printed on the proof of attendance; anyone holding it can check it at
    # /certificaten/<code>. Random, so certificates cannot be enumerated.
    certificate_code: Mapped[str | None] = mapped_column(String(32), unique=True)

    event: Mapped[Event] = relationship(back_populates="registrations")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        # Nobody holds two active registrations for one event, whatever the concurrency.
        Index(
            "uq_event_registrations_active",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_event_registrations_event_id_status", "event_id", "status", "created_at"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"
