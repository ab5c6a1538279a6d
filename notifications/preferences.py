"""Read and create a member's notification preferences (lazily, with defaults)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from core.extensions import db
from notifications.models import EMAIL_KINDS, NotificationPreference

_FLAG = {
    "replies": "email_replies",
    "mentions": "email_mentions",
    "answers": "email_answers",
    "event_changes": "email_event_changes",
    "reminders": "email_reminders",
}


def default_preferences(user) -> NotificationPreference:
    """Defaults for a member who never saved the page: weekly digest only when opted in."""
    return NotificationPreference(
        user_id=user.id,
        digest_frequency="weekly" if getattr(user, "digest_opt_in", False) else "never",
        digest_weekday=0,
        digest_hour=8,
        email_replies=True,
        email_mentions=True,
        email_answers=True,
        email_event_changes=True,
        email_reminders=True,
    )


def find_preferences(user_id: int) -> NotificationPreference | None:
    return db.session.scalar(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )


def get_preferences(user, *, create: bool = True) -> NotificationPreference:
    """The member's row; created (and flushed) with defaults when missing and `create`."""
    prefs = find_preferences(user.id)
    if prefs is None:
        prefs = default_preferences(user)
        if create:
            db.session.add(prefs)
            db.session.flush()
    return prefs


def wants_email(user, kind: str) -> bool:
    """Whether `user` wants email of `kind` (one of EMAIL_KINDS). Never creates a row.

    Only active members with an address receive these emails.
    """
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    if user is None or getattr(user, "status", None) != "active" or not user.email:
        return False
    prefs = find_preferences(user.id) or default_preferences(user)
    if kind == "digest":
        return prefs.digest_frequency != "never"
    return bool(getattr(prefs, _FLAG[kind]))


def members_wanting_email(wishes: Iterable[tuple[object, str]]) -> set[tuple[int, str]]:
    """`wants_email` for many (member, kind) pairs in one query: the (member id, kind)
    pairs that are wanted."""
    wishes = list(wishes)
    for _user, kind in wishes:
        if kind not in EMAIL_KINDS:
            raise ValueError(f"unknown email kind {kind!r}")
    candidates = [
        (user, kind)
        for user, kind in wishes
        if user is not None and getattr(user, "status", None) == "active" and user.email
    ]
    if not candidates:
        return set()
    saved = {
        prefs.user_id: prefs
        for prefs in db.session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_({user.id for user, _kind in candidates})
            )
        )
    }
    wanted = set()
    for user, kind in candidates:
        prefs = saved.get(user.id) or default_preferences(user)
        if kind == "digest":
            is_wanted = prefs.digest_frequency != "never"
        else:
            is_wanted = bool(getattr(prefs, _FLAG[kind]))
        if is_wanted:
            wanted.add((user.id, kind))
    return wanted


def switch_off(user, stream: str) -> NotificationPreference:
    """Turn one email stream off (used by one-click unsubscribe). Flushes."""
    if stream not in EMAIL_KINDS:
        raise ValueError(f"unknown email kind {stream!r}")
    prefs = get_preferences(user)
    if stream == "digest":
        prefs.digest_frequency = "never"
    else:
        setattr(prefs, _FLAG[stream], False)
    db.session.flush()
    return prefs
