"""Rendering digest emails: each item is rendered once per language (and, for events,
time zone) and reused.

Most items appear in many members' digests of a run (a busy thread is news to everyone
in its group), so the rendered fragment is cached, keyed by the item itself (a frozen
dataclass holding every field it shows), the language and the zone. Bounded, so memory
stays flat.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel.dates import format_datetime
from flask import render_template
from markupsafe import Markup

from core.i18n import DEFAULT_TIMEZONE, current_language, zone_for
from notifications.digest import DigestEvent, DigestThread

FORMATS = ("html", "txt")


def digest_item(item: DigestThread, fmt: str, language: str | None = None) -> Markup:
    """The item as an HTML list entry or a plain-text entry, in the current language
    (the digest template looks it up once and passes it for each of its items)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return _render(item, fmt, language or current_language())


@lru_cache(maxsize=8192)
def _render(item: DigestThread, fmt: str, language: str) -> Markup:
    # The template escapes every field (autoescape is on for .html); the text version
    # is plain text for a text/plain part.
    return Markup(render_template(f"emails/notifications/_thread_item.{fmt}", item=item))  # noqa: S704


def digest_event(
    event: DigestEvent, fmt: str, zone: str | None, language: str | None = None
) -> Markup:
    """The event as a list entry, its time in the member's zone and language."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return _render_event(event, fmt, language or current_language(), zone or DEFAULT_TIMEZONE)


@lru_cache(maxsize=4096)
def _render_event(event: DigestEvent, fmt: str, language: str, zone: str) -> Markup:
    starts = local_datetime(event.starts_at, zone, language)
    return Markup(  # noqa: S704 - rendered by an autoescaping template, or plain text
        render_template(f"emails/notifications/_event_item.{fmt}", event=event, starts=starts)
    )


def local_datetime(value: datetime, zone: str | None, language: str) -> str:
    """'maandag 7 december 2026, 14:00' in the member's zone; explicit, as there is no
    request to take the zone from."""
    return format_datetime(value, "EEEE d MMMM yyyy, HH:mm", tzinfo=zone_for(zone), locale=language)


def init_app(app) -> None:
    app.jinja_env.globals.update(digest_item=digest_item, digest_event=digest_event)
