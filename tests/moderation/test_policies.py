"""Moderation policies as a table: who × action → allowed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from moderation.policies import (
    can_moderate_post,
    can_report_post,
    can_suspend_member,
    can_use_queue,
    can_view_audit_log,
)

GROUP = SimpleNamespace(id=1, visibility="closed")
OTHER_GROUP_ID = 2


def person(pk: int, role: str = "member"):
    return SimpleNamespace(
        id=pk,
        is_authenticated=True,
        is_active_member=True,
        role=role,
        is_moderator=role in {"moderator", "admin"},
        is_admin=role == "admin",
    )


def membership(group_id: int, role: str = "member"):
    return SimpleNamespace(group_id=group_id, role=role, status="active")


MODERATOR = (person(1, "moderator"), None, False)
ADMIN = (person(2, "admin"), None, False)
COORDINATOR = (person(3), membership(GROUP.id, "coordinator"), True)
OTHER_COORDINATOR = (person(4), None, True)  # coordinates another group only
MEMBER = (person(5), membership(GROUP.id), False)
OUTSIDER = (person(6), None, False)
TARGET = person(9)

ACTORS = {
    "moderator": MODERATOR,
    "admin": ADMIN,
    "coordinator": COORDINATOR,
    "other_coordinator": OTHER_COORDINATOR,
    "member": MEMBER,
    "outsider": OUTSIDER,
}

# action: {actor: allowed}
TABLE = {
    "report": {"moderator": True, "admin": True, "coordinator": True, "other_coordinator": False,
                   "member": True, "outsider": False},
    "moderate_post": {"moderator": True, "admin": True, "coordinator": True, "other_coordinator": False,
                          "member": False, "outsider": False},
    "use_queue": {"moderator": True, "admin": True, "coordinator": True, "other_coordinator": True,
                      "member": False, "outsider": False},
    "suspend": {"moderator": True, "admin": True, "coordinator": False, "other_coordinator": False,
                    "member": False, "outsider": False},
    "audit_log": {"moderator": False, "admin": True, "coordinator": False, "other_coordinator": False,
                      "member": False, "outsider": False},
}  # fmt: skip


def decide(action: str, user, member_row, coordinates_any: bool) -> bool:
    if action == "report":
        return can_report_post(user, GROUP, member_row)
    if action == "moderate_post":
        return can_moderate_post(user, GROUP, member_row)
    if action == "use_queue":
        return can_use_queue(user, coordinates_any)
    if action == "suspend":
        return can_suspend_member(user, TARGET)
    return can_view_audit_log(user)


@pytest.mark.parametrize(
    ("action", "who"), [(action, who) for action, row in TABLE.items() for who in row]
)
def test_policy_table(action, who):
    user, member_row, coordinates_any = ACTORS[who]
    assert decide(action, user, member_row, coordinates_any) is TABLE[action][who]


def test_moderators_cannot_suspend_themselves_or_an_admin():
    moderator = MODERATOR[0]
    assert not can_suspend_member(moderator, moderator)
    assert not can_suspend_member(moderator, person(10, "admin"))


def test_suspended_coordinator_cannot_use_the_queue():
    user = person(11)
    user.is_active_member = False
    assert not can_use_queue(user, True)


def test_anyone_in_an_open_group_may_report_but_not_moderate():
    open_group = SimpleNamespace(id=3, visibility="members")
    user = OUTSIDER[0]
    assert can_report_post(user, open_group, None)
    assert not can_moderate_post(user, open_group, None)
