"""Who may report and moderate. Pure predicates; callers load memberships first.

Site moderators (and admins) moderate everything; a group's coordinators moderate the
posts and threads of that group. Suspending an account is site-wide, so it is for site
moderators only. The audit log is for admins.
"""

from __future__ import annotations

from auth.policies import can_administer, can_moderate
from groups.policies import can_moderate_group, can_read_group


def can_report_post(user, group, membership) -> bool:
    """Every member who may read the post may report it."""
    return can_read_group(user, group, membership)


def can_moderate_post(user, group, membership) -> bool:
    """Hide, restore and redact a post; handle its reports; lock or hide its thread."""
    return can_moderate_group(user, group, membership)


def can_use_queue(user, coordinates_any_group: bool) -> bool:
    """The report queue: site moderators, and coordinators for their own groups."""
    if can_moderate(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_active_member and coordinates_any_group
    )


def can_suspend_member(user, member) -> bool:
    """Site moderators suspend and reinstate accounts, never their own or an admin's."""
    return can_moderate(user) and member.id != user.id and member.role != "admin"


def can_view_audit_log(user) -> bool:
    return can_administer(user)


def can_handle_appeals(user) -> bool:
    """Appeals are handled by site moderators (and admins), in the moderation queue."""
    return can_moderate(user)


def can_decide_appeal(user, appeal) -> bool:
    """A site moderator decides an appeal, but never about their own decision, nor their
    own appeal: the member is heard by someone else (DSA art. 20(6))."""
    if not can_moderate(user):
        return False
    return user.id not in {appeal.decided_by_id, appeal.appellant_id}
