"""Forum permissions as a table: actor × action × object state. Pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from forum import policies

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def user(uid: int, *, status: str = "active", role: str = "member"):
    active = status == "active"
    return SimpleNamespace(
        id=uid,
        is_authenticated=True,
        is_active_member=active,
        is_admin=active and role == "admin",
        is_moderator=active and role in {"moderator", "admin"},
    )


ANONYMOUS = SimpleNamespace(id=None, is_authenticated=False, is_active_member=False)
AUTHOR = user(1)
OTHER = user(2)
COORDINATOR = user(3)
MODERATOR = user(4, role="moderator")
ADMIN = user(5, role="admin")
SUSPENDED_AUTHOR = SimpleNamespace(**{**vars(user(1)), "is_active_member": False})
OUTSIDER = user(6)


def membership(role: str = "member", status: str = "active"):
    return SimpleNamespace(role=role, status=status)


MEMBERSHIPS = {
    1: membership(),
    2: membership(),
    3: membership("coordinator"),
    4: None,
    5: None,
    6: None,
}


def thread(visibility: str = "closed", **state):
    group = SimpleNamespace(id=10, visibility=visibility)
    values = {
        "id": 100,
        "group": group,
        "author_id": 1,
        "kind": "question",
        "is_locked": False,
        "first_post_id": 1000,
        "accepted_post_id": None,
        "hidden_at": None,
        "deleted_at": None,
    }
    values.update(state)
    t = SimpleNamespace(**values)
    t.is_visible = t.hidden_at is None and t.deleted_at is None
    t.is_question = t.kind == "question"
    return t


def post(**state):
    values = {"id": 1001, "thread_id": 100, "author_id": 2, "deleted_at": None, "hidden_at": None}
    values.update(state)
    p = SimpleNamespace(**values)
    p.is_removed = p.deleted_at is not None or p.hidden_at is not None
    return p


def m(actor):
    return MEMBERSHIPS.get(actor.id) if actor.id is not None else None


@pytest.mark.parametrize(
    ("actor", "state", "expected"),
    [
        (AUTHOR, {}, True),
        (OTHER, {}, True),
        (OUTSIDER, {}, False),  # closed group, not a member
        (MODERATOR, {}, True),  # site moderators read every group
        (ANONYMOUS, {}, False),
        (SUSPENDED_AUTHOR, {}, False),
        (OTHER, {"hidden_at": NOW}, False),
        (AUTHOR, {"deleted_at": NOW}, False),
        (COORDINATOR, {"hidden_at": NOW}, True),
        (MODERATOR, {"hidden_at": NOW}, True),
    ],
)
def test_who_may_read_a_thread_in_a_closed_group(actor, state, expected):
    assert policies.can_read_thread(actor, thread(**state), m(actor)) is expected


@pytest.mark.parametrize(
    ("actor", "visibility", "state", "expected"),
    [
        (OTHER, "closed", {}, True),
        (OUTSIDER, "closed", {}, False),
        (OUTSIDER, "members", {}, True),  # open groups: every member may reply
        (MODERATOR, "closed", {}, False),  # may read, but is no member of the group
        (OTHER, "closed", {"is_locked": True}, False),
        (COORDINATOR, "closed", {"is_locked": True}, False),
        (SUSPENDED_AUTHOR, "members", {}, False),
        (OTHER, "closed", {"hidden_at": NOW}, False),
        (COORDINATOR, "closed", {"hidden_at": NOW}, False),
    ],
)
def test_who_may_reply(actor, visibility, state, expected):
    assert policies.can_reply(actor, thread(visibility, **state), m(actor)) is expected


@pytest.mark.parametrize(
    ("action", "actor", "post_state", "thread_state", "expected"),
    [
        ("edit", OTHER, {}, {}, True),  # OTHER wrote the post
        ("edit", AUTHOR, {}, {}, False),  # not theirs
        ("edit", COORDINATOR, {}, {}, False),
        ("edit", OTHER, {"deleted_at": NOW}, {}, False),
        ("edit", OTHER, {"hidden_at": NOW}, {}, False),
        ("edit", OTHER, {}, {"is_locked": True}, False),
        ("edit", OTHER, {"author_id": 6}, {}, False),
        ("delete", OTHER, {}, {}, True),
        ("delete", OTHER, {}, {"is_locked": True}, True),
        ("delete", OTHER, {"deleted_at": NOW}, {}, False),
        ("delete", AUTHOR, {}, {}, False),
        ("delete", MODERATOR, {}, {}, False),  # moderators hide through moderation
        ("react", AUTHOR, {}, {}, True),
        ("react", OTHER, {}, {}, False),  # not on your own post
        ("react", AUTHOR, {"hidden_at": NOW}, {}, False),
        ("react", OUTSIDER, {}, {}, False),
        ("react", MODERATOR, {}, {}, False),  # not a member of the closed group
        ("accept", AUTHOR, {}, {}, True),  # the asker
        ("accept", COORDINATOR, {}, {}, True),
        ("accept", ADMIN, {}, {}, True),
        ("accept", OTHER, {}, {}, False),
        ("accept", MODERATOR, {}, {}, False),
        ("accept", AUTHOR, {}, {"kind": "discussion"}, False),
        ("accept", AUTHOR, {"id": 1000}, {}, False),  # the opening post is no answer
        ("accept", AUTHOR, {"deleted_at": NOW}, {}, False),
        ("accept", AUTHOR, {"thread_id": 999}, {}, False),
        ("accept", SUSPENDED_AUTHOR, {}, {}, False),
    ],
)
def test_post_actions(action, actor, post_state, thread_state, expected):
    predicate = {
        "edit": policies.can_edit_post,
        "delete": policies.can_delete_post,
        "react": policies.can_react,
        "accept": policies.can_accept_answer,
    }[action]
    assert predicate(actor, post(**post_state), thread(**thread_state), m(actor)) is expected


@pytest.mark.parametrize(
    ("actor", "history", "pin", "lock", "move"),
    [
        (AUTHOR, False, False, False, False),
        (OTHER, False, False, False, False),
        (COORDINATOR, True, True, True, True),
        (MODERATOR, True, False, True, False),
        (ADMIN, True, True, True, True),
        (OUTSIDER, False, False, False, False),
        (ANONYMOUS, False, False, False, False),
    ],
)
def test_coordinator_actions(actor, history, pin, lock, move):
    t = thread()
    assert policies.can_view_history(actor, t, m(actor)) is history
    assert policies.can_pin_thread(actor, t, m(actor)) is pin
    assert policies.can_lock_thread(actor, t, m(actor)) is lock
    assert policies.can_move_thread(actor, t, m(actor)) is move


def test_a_thread_moves_only_into_a_group_the_coordinator_manages():
    group = SimpleNamespace(id=11, visibility="members")
    assert policies.can_move_thread_to(COORDINATOR, group, membership("coordinator"))
    assert not policies.can_move_thread_to(COORDINATOR, group, membership())
    assert not policies.can_move_thread_to(COORDINATOR, group, None)
    assert policies.can_move_thread_to(ADMIN, group, None)


@pytest.mark.parametrize(
    ("actor", "visibility", "expected"),
    [
        (OUTSIDER, "members", True),
        (OUTSIDER, "closed", False),
        (OTHER, "closed", True),
        (SUSPENDED_AUTHOR, "members", False),
        (ANONYMOUS, "members", False),
    ],
)
def test_who_may_start_a_thread(actor, visibility, expected):
    group = SimpleNamespace(id=10, visibility=visibility)
    assert policies.can_start_thread(actor, group, m(actor)) is expected
