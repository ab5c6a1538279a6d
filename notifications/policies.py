"""Who may do what with notifications."""

from __future__ import annotations


def can_use_notifications(user) -> bool:
    """Active members have notifications and preferences; pending ones do not yet."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member
