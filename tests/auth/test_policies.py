"""Account policies as a table: actor × predicate → allowed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from auth.policies import (
    can_administer,
    can_moderate,
    can_use_member_area,
    can_view_member_page,
    needs_2fa_enrolment,
)


def actor(role="member", status="active", has_2fa=False, authenticated=True):
    return SimpleNamespace(
        is_authenticated=authenticated,
        is_active_member=status == "active",
        role=role,
        status=status,
        has_2fa=has_2fa,
    )


ANONYMOUS = actor(authenticated=False, status="none")


@pytest.mark.parametrize(
    ("who", "member_area", "administer", "moderate"),
    [
        (actor(), True, False, False),
        (actor(role="moderator"), True, False, True),
        (actor(role="admin"), True, True, True),
        (actor(status="pending"), False, False, False),
        (actor(status="suspended"), False, False, False),
        (actor(role="admin", status="suspended"), False, False, False),
        (actor(status="deleted"), False, False, False),
        (ANONYMOUS, False, False, False),
    ],
)
def test_account_policies(who, member_area, administer, moderate):
    assert can_use_member_area(who) is member_area
    assert can_administer(who) is administer
    assert can_moderate(who) is moderate


@pytest.mark.parametrize(
    ("viewer", "member_status", "allowed"),
    [
        (actor(), "active", True),
        (actor(), "suspended", True),
        (actor(), "pending", False),
        (actor(), "deleted", False),
        (actor(status="pending"), "active", False),
        (ANONYMOUS, "active", False),
    ],
)
def test_member_pages_are_for_active_members_only(viewer, member_status, allowed):
    assert can_view_member_page(viewer, SimpleNamespace(status=member_status)) is allowed


@pytest.mark.parametrize(
    ("who", "needs"),
    [
        (actor(), False),
        (actor(role="moderator"), True),
        (actor(role="admin"), True),
        (actor(role="admin", has_2fa=True), False),
    ],
)
def test_staff_must_enrol_in_2fa(who, needs):
    assert needs_2fa_enrolment(who) is needs
