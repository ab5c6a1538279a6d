"""Groups and memberships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region

GROUP_KINDS = ("regional", "thematic", "intervision")
VISIBILITIES = ("members", "closed", "secret")
MEMBERSHIP_ROLES = ("member", "coordinator")
MEMBERSHIP_STATUSES = ("active", "requested", "invited")


class Group(db.Model):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="thematic")
    visibility: Mapped[str] = mapped_column(String(20), default="members")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    member_count: Mapped[int] = mapped_column(default=0)

    region: Mapped[Region | None] = relationship(lazy="joined")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        from core.i18n import current_language

        return self.name_en if current_language() == "en" and self.name_en else self.name

    @property
    def is_open(self) -> bool:
        return self.visibility == "members"

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), default="active")
    is_muted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        # Members by status, coordinators, and members' ids (the sector overview) from
        # the index alone.
        Index(
            "ix_memberships_group_id_status_role_user_id", "group_id", "status", "role", "user_id"
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_coordinator(self) -> bool:
        return self.status == "active" and self.role == "coordinator"
