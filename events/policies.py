"""Who may do what with an event. Pure predicates.

`membership` is the user's Membership in the event's group (or None) and
`registration` the user's active Registration for the event (or None); callers load
them once so these stay free of queries.
"""

from __future__ import annotations

from datetime import datetime

from groups.policies import can_manage_group, can_read_group


def can_view_event(user, event, membership) -> bool:
    """Members who may read the group's content see its events."""
    return can_read_group(user, event.group, membership)


def can_create_event(user, group, membership) -> bool:
    """Coordinators of the group and admins schedule events."""
    return can_manage_group(user, group, membership)


def can_manage_event(user, event, membership) -> bool:
    """Edit, cancel, see attendees, approve registrations, mark attendance."""
    return can_manage_group(user, event.group, membership)


def registration_is_open(event, now: datetime) -> bool:
    """Scheduled, not started, and the deadline (if any) not passed."""
    if event.status != "scheduled" or now >= event.starts_at:
        return False
    return event.registration_deadline is None or now <= event.registration_deadline


def can_register(user, event, membership, registration, now: datetime) -> bool:
    """Members who may read the group, once, while registration is open."""
    return (
        can_view_event(user, event, membership)
        and registration is None
        and registration_is_open(event, now)
    )


def can_unregister(user, event, registration, now: datetime) -> bool:
    """Any time before the start."""
    return (
        registration is not None
        and registration.user_id == getattr(user, "id", None)
        and registration.status in {"confirmed", "waitlisted", "pending"}
        and now < event.starts_at
    )


def can_see_location(user, event, membership, registration) -> bool:
    """The exact address and the online link: confirmed participants and coordinators."""
    if can_manage_event(user, event, membership):
        return True
    return (
        can_view_event(user, event, membership)
        and registration is not None
        and registration.status == "confirmed"
    )


def can_edit_event(user, event, membership) -> bool:
    return can_manage_event(user, event, membership) and event.status == "scheduled"


def can_mark_attendance(user, event, membership, now: datetime) -> bool:
    """After the start: coordinators record who came."""
    return can_manage_event(user, event, membership) and now >= event.starts_at


def can_download_certificate(user, event, registration) -> bool:
    """A participant marked as attended gets a proof of attendance."""
    return (
        registration is not None
        and registration.user_id == getattr(user, "id", None)
        and registration.attended is True
        and event.status == "scheduled"
    )
