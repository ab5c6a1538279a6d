"""Token policies as a table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from api import policies


def person(uid: int, status: str = "active"):
    return SimpleNamespace(id=uid, is_authenticated=True, is_active_member=status == "active")


VISITOR = SimpleNamespace(id=None, is_authenticated=False, is_active_member=False)
TOKEN_OF_1 = SimpleNamespace(user_id=1, has_scope=lambda scope: scope == "read")


@pytest.mark.parametrize(
    ("user", "allowed"),
    [(person(1), True), (person(2), False), (person(1, "suspended"), False), (VISITOR, False)],
)
def test_only_the_owner_revokes_a_token(user, allowed):
    assert policies.can_revoke_token(user, TOKEN_OF_1) is allowed


@pytest.mark.parametrize(
    ("token", "scope", "allowed"),
    [(TOKEN_OF_1, "read", True), (TOKEN_OF_1, "write", False), (None, "read", False)],
)
def test_a_token_grants_only_its_scopes_and_a_visitor_none(token, scope, allowed):
    assert policies.token_grants(token, scope) is allowed


def test_pending_members_may_not_manage_tokens():
    assert policies.can_manage_tokens(person(1, "pending")) is False
    assert policies.can_manage_tokens(person(1)) is True
