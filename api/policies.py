"""Who may do what with API tokens. Pure predicates."""

from __future__ import annotations


def can_manage_tokens(user) -> bool:
    """Active members create and revoke their own tokens."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active_member


def can_revoke_token(user, token) -> bool:
    """A member revokes their own tokens only."""
    return can_manage_tokens(user) and token.user_id == user.id


def token_grants(token, scope: str) -> bool:
    """A request made with `token` may use operations that need `scope`. Without a token
    (a visitor) no scope is granted."""
    return token is not None and token.has_scope(scope)
