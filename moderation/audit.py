"""Writing to the audit log (every moderation and admin action)."""

from __future__ import annotations

from typing import Any

from core.extensions import db
from moderation.models import AuditEvent


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
