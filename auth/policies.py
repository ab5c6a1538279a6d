"""Account predicates: pure functions of the actor and the object."""

from __future__ import annotations


def can_use_member_area(user) -> bool:
    """Approved, not suspended, not deleted."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def can_view_member_page(viewer, member) -> bool:
    """Member pages are for active members only, and only of accounts that exist."""
    return can_use_member_area(viewer) and member.status in {"active", "suspended"}


def can_administer(user) -> bool:
    return can_use_member_area(user) and user.role == "admin"


def can_moderate(user) -> bool:
    return can_use_member_area(user) and user.role in {"moderator", "admin"}


def needs_2fa_enrolment(user) -> bool:
    """Admins and moderators must enrol in 2FA before they can use staff pages."""
    return user.role in {"moderator", "admin"} and not user.has_2fa
