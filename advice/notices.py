"""Telling people about advice questions: in-app (through the `notice_requested` signal,
which the notifications feature turns into a notification row) and by email through the
outbox. Neither carries the question's text: case content never leaves the platform,
only its subject and a link.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale

from core import signals
from core.mail import queue_email


def question_path(question_id: int) -> str:
    """The question's URL (public contract `/advies/<id>`)."""
    return f"/advies/{question_id}"


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def in_language(user, make_text: Callable[[], str]) -> str:
    """`make_text()` (a gettext call) in the recipient's language."""
    with force_locale(user.language or "nl"):
        return str(make_text())


def tell(
    user,
    make_title: Callable[[], str],
    path: str,
    *,
    actor=None,
    email: bool = True,
    idempotency_key: str | None = None,
) -> bool:
    """In-app notice and (when `email`) a service email to one active member. Returns
    False when an email with the same idempotency key was already queued (then nothing
    is added at all). Flushes."""
    if user is None or not user.is_active_member or not user.email:
        return False
    title = in_language(user, make_title)
    if email:
        message = queue_email(
            user.email,
            "advice/notice",
            subject=title,
            context={"user": user, "title": title, "url": absolute(path)},
            locale=user.language or "nl",
            kind="advice",
            idempotency_key=idempotency_key,
        )
        if message is None:
            return False
    signals.notice_requested.send(user=user, kind="advice", title=title, url=path, actor=actor)
    return True
