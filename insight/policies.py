"""Who may see which insight. Pure predicates of the user and plain values.

`coordinated` is the set of region ids whose regional group the user coordinates
(`insight.queries.overview_state`; a region's own pages pass just that region
when it is one of them, `insight.queries.region_for_page`).
"""

from __future__ import annotations


def can_view_national(user) -> bool:
    """Every approved member sees the national overview."""
    return bool(user.is_authenticated and user.is_active_member)


def can_view_region(user, region, coordinated: frozenset[int] = frozenset()) -> bool:
    """Approved members see their own region; coordinators of a regional group see that
    region; policy officers (and admins) see every region."""
    if not can_view_national(user):
        return False
    return user.is_policy_officer or region.id == user.region_id or region.id in coordinated


def can_read_signal_notes(user, region, coordinated: frozenset[int] = frozenset()) -> bool:
    """Only the coordinators of the region's regional group read the sentences members
    wrote with their signals; everyone else sees counts per theme."""
    return can_view_national(user) and region.id in coordinated


def can_signal(user, thread, can_read_thread: bool) -> bool:
    """An approved member with a region who may read a shown thread may mark it as a
    signal from their region."""
    return (
        can_view_national(user)
        and user.region_id is not None
        and can_read_thread
        and thread.hidden_at is None
        and thread.deleted_at is None
    )


def can_subscribe_quarterly(user) -> bool:
    """The quarterly summary email is for policy officers."""
    return can_view_national(user) and user.is_policy_officer
