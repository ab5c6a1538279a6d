"""The audit log: every moderation, admin and editorial action, append-only.

Rows are inserted, never updated or deleted through the ORM. Any feature records its
own actions here; the moderation feature shows the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import utcnow
from core.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    subject_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # auth.models.User, named (core does not import auth): resolved by the model registry.
    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])  # noqa: F821
    subject_user: Mapped[User | None] = relationship(  # noqa: F821
        "User", foreign_keys=[subject_user_id]
    )


@event.listens_for(AuditEvent, "before_update")
def _refuse_audit_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be deleted")


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry through the ORM."""


def record_audit(
    actor,
    action: str,
    target_type: str,
    target_id: int | None = None,
    *,
    subject_user=None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit entry in the current transaction (flush only)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_user_id=getattr(subject_user, "id", None),
        reason=reason or "",
        details=details or {},
    )
    db.session.add(event)
    db.session.flush()
    return event
