"""Who may do what in a group. Pure predicates of (user, group, membership).

`membership` is the user's Membership row in that group or None; callers load it once
(see `groups.queries.membership_for`) so these stay free of queries.
"""

from __future__ import annotations


def _is_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def _active(membership) -> bool:
    return membership is not None and membership.status == "active"


def is_coordinator(user, group, membership) -> bool:
    return _is_member(user) and _active(membership) and membership.role == "coordinator"


def _invited(membership) -> bool:
    return membership is not None and membership.status == "invited"


def can_see_group(user, group, membership) -> bool:
    """The group appears in lists: every group but secret ones, which only their members,
    the members they invited (to read the invitation) and admins see."""
    if not _is_member(user):
        return False
    return (
        group.visibility != "secret" or _active(membership) or _invited(membership) or user.is_admin
    )


def can_read_group(user, group, membership) -> bool:
    """Threads, events and members of the group: open groups for every member,
    closed and secret groups for their members (and site moderators and admins)."""
    if not _is_member(user):
        return False
    if group.visibility == "members":
        return True
    return _active(membership) or user.is_moderator


def can_post_in_group(user, group, membership) -> bool:
    """Start threads and reply: open groups for every member, others for members only."""
    if not _is_member(user):
        return False
    return group.visibility == "members" or _active(membership)


def can_join_group(user, group, membership) -> bool:
    """One-click join: open groups only."""
    return _is_member(user) and group.visibility == "members" and not _active(membership)


def can_request_to_join(user, group, membership) -> bool:
    return (
        _is_member(user)
        and group.visibility == "closed"
        and (membership is None or membership.status not in {"active", "requested"})
    )


def can_leave_group(user, group, membership) -> bool:
    """Leave a group, withdraw a request or turn down an invitation."""
    return _is_member(user) and membership is not None


def can_accept_invitation(user, group, membership) -> bool:
    return _is_member(user) and _invited(membership)


def can_manage_group(user, group, membership) -> bool:
    """Approve requests, invite, remove members, pin/lock/move, schedule events."""
    return _is_member(user) and (user.is_admin or is_coordinator(user, group, membership))


def can_moderate_group(user, group, membership) -> bool:
    """Hide and restore posts, handle reports for this group."""
    return _is_member(user) and (user.is_moderator or is_coordinator(user, group, membership))


def can_invite_to_group(user, group, membership) -> bool:
    """Invitations are how closed and secret groups grow; open groups need none."""
    return can_manage_group(user, group, membership) and group.visibility != "members"


def can_remove_member(user, group, membership, target) -> bool:
    """Managers remove members; only admins remove a coordinator (that is an appointment
    decision), and nobody removes themselves (they leave)."""
    if not can_manage_group(user, group, membership) or target is None:
        return False
    if target.user_id == user.id:
        return False
    return target.role != "coordinator" or user.is_admin


def can_create_group(user) -> bool:
    return _is_member(user) and user.is_admin


def can_appoint_coordinator(user, group) -> bool:
    return _is_member(user) and user.is_admin
