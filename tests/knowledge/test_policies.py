"""Who may do what in the kennisbank, as a table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from knowledge import policies


def user(role="member", *, uid=1, active=True):
    return SimpleNamespace(
        id=uid,
        is_authenticated=True,
        is_active_member=active,
        is_editor=active and role in {"editor", "admin"},
        is_admin=active and role == "admin",
    )


VISITOR = SimpleNamespace(is_authenticated=False, is_active_member=False)


def item(status="published", *, members_only=False, changed_by=1):
    return SimpleNamespace(status=status, is_members_only=members_only, changed_by_id=changed_by)


@pytest.mark.parametrize(
    ("who", "the_item", "allowed"),
    [
        (VISITOR, item(), True),
        (VISITOR, item(members_only=True), False),
        (VISITOR, item("draft"), False),
        (user(), item(members_only=True), True),
        (user(), item("review"), False),
        (user(), item("archived"), False),
        (user("editor"), item("draft"), True),
        (user("editor", active=False), item("draft"), False),
    ],
)
def test_can_read_item(who, the_item, allowed):
    assert policies.can_read_item(who, the_item) is allowed


@pytest.mark.parametrize(
    ("who", "the_item", "allowed"),
    [
        (user("editor", uid=1), item("review", changed_by=1), False),
        (user("editor", uid=2), item("review", changed_by=1), True),
        (user("editor", uid=2), item("draft", changed_by=1), False),
        (user("admin", uid=1), item("draft", changed_by=1), True),
        (user("admin", uid=1), item("published", changed_by=1), False),
        (user("member", uid=2), item("review", changed_by=1), False),
    ],
)
def test_can_publish_item_needs_a_second_editor_or_an_admin(who, the_item, allowed):
    assert policies.can_publish_item(who, the_item) is allowed


def test_only_editors_write_submit_and_archive():
    member, editor = user(), user("editor")
    assert not policies.can_create_item(member)
    assert policies.can_create_item(editor)
    assert policies.can_submit_item(editor, item("draft"))
    assert not policies.can_submit_item(member, item("draft"))
    assert policies.can_archive_item(editor, item("published"))
    assert not policies.can_edit_item(editor, item("archived"))


def test_only_the_quoted_member_answers_a_consent_request():
    consent = SimpleNamespace(user_id=1, status="pending")
    assert policies.can_answer_consent(user(uid=1), consent)
    assert not policies.can_answer_consent(user(uid=2), consent)
    assert not policies.can_answer_consent(VISITOR, consent)
