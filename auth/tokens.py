"""Signed, expiring tokens for email confirmation and password reset."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(value: str | None) -> str:
    # Ties a reset token to the current password: once used, the hash changes and the
    # token is void (single use) without storing anything.
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make_confirm_token(user) -> str:
    return _serializer("confirm-email").dumps({"uid": user.id, "email": user.email})


def read_confirm_token(token: str) -> dict | None:
    try:
        return _serializer("confirm-email").loads(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None


def make_reset_token(user) -> str:
    return _serializer("reset-password").dumps(
        {"uid": user.id, "fp": _fingerprint(user.password_hash)}
    )


def read_reset_token(token: str, load_user) -> object | None:
    """The user the token was made for, if it is fresh and unused."""
    try:
        data = _serializer("reset-password").loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = load_user(data.get("uid"))
    if user is None or data.get("fp") != _fingerprint(user.password_hash):
        return None
    return user
