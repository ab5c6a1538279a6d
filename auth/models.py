"""Accounts: members, their recovery codes, and the auto-approval domain list."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Function, Region, Sector

STATUSES = ("pending", "active", "suspended", "rejected", "deleted")
# Site roles. editor: kennisredacteur (knowledge base); adviser: answers the advice desk;
# policy: municipal policy officer (regional insight for every region).
ROLES = ("member", "editor", "adviser", "policy", "moderator", "admin")
FORMER_MEMBER_NAME = "Oud-lid"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # Figures loaded with the signed-in member (auth.current.register_user_column).
    loaded_columns: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the account is deleted, so the address is free to register again.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    function_id: Mapped[int | None] = mapped_column(ForeignKey("functions.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    show_organisation: Mapped[bool] = mapped_column(default=True)
    show_region: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")

    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    email_confirmed_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]
    digest_opt_in: Mapped[bool] = mapped_column(default=False)
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_calendar_token)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    suspended_until: Mapped[datetime | None]
    # The last day of a suspension as the moderator chose it ("tot en met 31 december");
    # `suspended_until` is the instant it ends (the start of the next day in their zone).
    suspended_through: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    last_post_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    sector: Mapped[Sector | None] = relationship(lazy="joined", innerjoin=False)
    function: Mapped[Function | None] = relationship(lazy="joined", innerjoin=False)
    region: Mapped[Region | None] = relationship(lazy="joined", innerjoin=False)
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_users_email_lower", func.lower(email)),)

    # Flask-Login: the session carries the version, so bumping it ends every session
    # and every remember-me cookie at once.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status in {"pending", "active"}

    @property
    def is_active_member(self) -> bool:
        return self.status == "active"

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    @property
    def is_deleted(self) -> bool:
        return self.status == "deleted"

    @property
    def is_admin(self) -> bool:
        return self.is_active_member and self.role == "admin"

    @property
    def is_moderator(self) -> bool:
        return self.is_active_member and self.role in {"moderator", "admin"}

    @property
    def is_editor(self) -> bool:
        """A kennisredacteur (or an admin): writes and reviews knowledge base items."""
        return self.is_active_member and self.role in {"editor", "admin"}

    @property
    def is_adviser(self) -> bool:
        """An adviser of the advice desk (or an admin)."""
        return self.is_active_member and self.role in {"adviser", "admin"}

    @property
    def is_policy_officer(self) -> bool:
        """A policy officer (or an admin): regional insight for every region."""
        return self.is_active_member and self.role in {"policy", "admin"}

    @property
    def can_moderate_anything(self) -> bool:
        return self.is_moderator

    @property
    def has_2fa(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def public_name(self) -> str:
        return FORMER_MEMBER_NAME if self.is_deleted else self.display_name

    def end_all_sessions(self) -> None:
        self.session_version += 1

    def __repr__(self) -> str:
        return f"<User {self.id} {self.status}>"


class RecoveryCode(db.Model):
    """A one-time 2FA recovery code, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class ApprovedDomain(db.Model):
    """Email domains whose addresses are approved automatically after confirmation."""

    __tablename__ = "approved_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
