"""Personal access tokens: create, revoke, and recognise them on a request.

Services flush, never commit: the view commits once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from api.models import ApiToken
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db

#: Tokens look like `jep_…`, so secret scanners and people recognise them.
TOKEN_PREFIX = "jep_"  # noqa: S105 - a public prefix, not a secret
#: Lifetimes a member may choose, in days.
LIFETIMES = (30, 90, 365)
#: `last_used_at` is written at most this often per token (not on every request).
LAST_USED_GRANULARITY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    """A freshly created token and its secret, which exists only in this object."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    user, name: str, *, write: bool, lifetime_days: int, now: datetime | None = None
) -> NewToken:
    """A new token for `user` with the read scope (and write when asked), valid for
    `lifetime_days`. The secret is returned once and only its hash is stored."""
    if lifetime_days not in LIFETIMES:
        raise ValueError(f"lifetime must be one of {LIFETIMES}")
    now = now or utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:80],
        token_hash=hash_secret(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        scopes="read write" if write else "read",
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    db.session.add(token)
    db.session.flush()
    record_audit(user, "api_token.create", "api_token", token.id, subject_user=user,
                 details={"name": token.name, "scopes": token.scopes})  # fmt: skip
    return NewToken(token, secret)


def revoke_token(token: ApiToken, actor, now: datetime | None = None) -> None:
    """Stop the token working at once. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = now or utcnow()
    db.session.flush()
    record_audit(actor, "api_token.revoke", "api_token", token.id, subject_user=token.user,
                 details={"name": token.name})  # fmt: skip


def revoke_all_tokens(user_id: int, now: datetime | None = None) -> int:
    """Revoke every live token of a member (account suspended or deleted)."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0


def token_for_secret(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token whose secret this is, or None: unknown, revoked, expired, or its
    owner is no longer an active member."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now) or not token.user.is_active_member:
        return None
    return token


def record_use(token: ApiToken, now: datetime | None = None) -> bool:
    """Stamp `last_used_at`, at most once per LAST_USED_GRANULARITY. True when written."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_GRANULARITY:
        return False
    token.last_used_at = now
    db.session.flush()
    return True
