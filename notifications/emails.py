"""Rendering digest emails: each thread item is rendered once per language and reused.

Most items appear in many members' digests of a run (a busy thread is news to everyone
in its group), so the rendered fragment is cached, keyed by the item itself (a frozen
dataclass holding every field it shows) and the language. Bounded, so memory stays flat.
"""

from __future__ import annotations

from functools import lru_cache

from flask import render_template
from markupsafe import Markup

from core.i18n import current_language
from notifications.digest import DigestThread

FORMATS = ("html", "txt")


def digest_item(item: DigestThread, fmt: str) -> Markup:
    """The item as an HTML list entry or a plain-text entry, in the current language."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return _render(item, fmt, current_language())


@lru_cache(maxsize=8192)
def _render(item: DigestThread, fmt: str, language: str) -> Markup:
    # The template escapes every field (autoescape is on for .html); the text version
    # is plain text for a text/plain part.
    return Markup(render_template(f"emails/notifications/_thread_item.{fmt}", item=item))  # noqa: S704


def init_app(app) -> None:
    app.jinja_env.globals["digest_item"] = digest_item
