"""Event policies as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from events import policies

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def user(role="member", status="active", uid=1):
    return SimpleNamespace(
        id=uid, is_authenticated=True, is_active_member=status == "active",
        is_admin=role == "admin" and status == "active",
        is_moderator=role in {"admin", "moderator"} and status == "active",
    )  # fmt: skip


def event(visibility="members", status="scheduled", deadline=None, starts=NOW + timedelta(days=1)):
    return SimpleNamespace(
        group=SimpleNamespace(visibility=visibility), status=status,
        registration_deadline=deadline, starts_at=starts,
    )  # fmt: skip


def membership(role="member", status="active"):
    return SimpleNamespace(role=role, status=status)


def reg(status="confirmed", uid=1, attended=None):
    return SimpleNamespace(status=status, user_id=uid, attended=attended)


COORD = membership("coordinator")


@pytest.mark.parametrize(
    ("who", "ev", "mem", "r", "expected"),
    [
        (user(), event(), None, None, True),
        (user(), event("closed"), None, None, False),
        (user(), event("closed"), membership(), None, True),
        (user(status="pending"), event(), None, None, False),
        (user(), event(), None, reg(), False),
        (user(), event(status="cancelled"), None, None, False),
        (user(), event(deadline=NOW - timedelta(minutes=1)), None, None, False),
        (user(), event(starts=NOW - timedelta(minutes=1)), None, None, False),
    ],
)
def test_who_may_register(who, ev, mem, r, expected):
    assert policies.can_register(who, ev, mem, r, NOW) is expected


@pytest.mark.parametrize(
    ("who", "mem", "r", "expected"),
    [
        (user(), None, None, False),
        (user(), None, reg("waitlisted"), False),
        (user(), None, reg("pending"), False),
        (user(), None, reg("confirmed"), True),
        (user(), COORD, None, True),
        (user("admin"), None, None, True),
        (user("moderator"), None, None, False),
    ],
)
def test_who_sees_the_address_and_online_link(who, mem, r, expected):
    assert policies.can_see_location(who, event(), mem, r) is expected


@pytest.mark.parametrize(
    ("who", "mem", "expected"),
    [(user(), None, False), (user(), membership(), False), (user(), COORD, True),
     (user("admin"), None, True), (user(status="suspended"), COORD, False)],
)  # fmt: skip
def test_who_manages_an_event(who, mem, expected):
    assert policies.can_manage_event(who, event(), mem) is expected


@pytest.mark.parametrize(
    ("r", "expected"),
    [(None, False), (reg(attended=None), False), (reg(attended=False), False),
     (reg(attended=True), True), (reg(attended=True, uid=2), False)],
)  # fmt: skip
def test_only_attended_participants_download_a_certificate(r, expected):
    assert policies.can_download_certificate(user(), event(), r) is expected
