"""Signed, non-expiring unsubscribe tokens for the List-Unsubscribe header (RFC 8058)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from core.urls import external_url
from notifications.models import EMAIL_KINDS

SALT = "unsubscribe"


def _serializer() -> URLSafeSerializer:
    return _serializer_for(current_app.config["SECRET_KEY"])


@lru_cache(maxsize=4)
def _serializer_for(secret_key: str) -> URLSafeSerializer:
    # One per key: a digest run signs a token per member.
    return URLSafeSerializer(secret_key, salt=SALT)


def make_token(user_id: int, stream: str) -> str:
    if stream not in EMAIL_KINDS:
        raise ValueError(f"unknown email stream {stream!r}")
    return _serializer().dumps([user_id, stream])


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    stream: str


def read_token(token: str) -> UnsubscribeRequest | None:
    """The (user id, stream) in a valid token, or None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, list)
        or len(data) != 2
        or not isinstance(data[0], int)
        or data[1] not in EMAIL_KINDS
    ):
        return None
    return UnsubscribeRequest(user_id=data[0], stream=data[1])


def unsubscribe_url(user, stream: str) -> str:
    """Absolute https (BASE_URL) link that switches `stream` off for `user`."""
    return external_url("notifications.unsubscribe", token=make_token(user.id, stream))
