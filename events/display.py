"""Event dates and list items as HTML, rendered once per value, language and time zone.

Babel takes about 65 µs to format one span ("maandag 5 oktober 2026, 09:30–11:30"),
and one list item costs about ten url_for, gettext and filter calls: together some
3 ms for a list of 25 events on every request. What they show depends only on the
item's own values (`EventItem` is a frozen row: title, times, status, seats, labels,
the viewer's status), the viewer's language and time zone and the URL root, so the
results are kept by exactly those. A change to an event changes the row and so the
key: a stale text cannot be shown. Bounded caches: a few MB at most.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import current_app, request
from markupsafe import Markup

from core.i18n import current_language, current_zone_name, format_span


def _viewer_key() -> tuple[str, str]:
    return current_language(), current_zone_name()


def event_span(start: datetime, end: datetime | None) -> str:
    """`core.i18n.format_span`, cached (the Jinja filter `event_span`)."""
    return _span(start, end, *_viewer_key())


@lru_cache(maxsize=4096)
def _span(start: datetime, end: datetime | None, locale: str, zone: str) -> str:
    # `locale` and `zone` are the key: format_span reads the same two from the request.
    return format_span(start, end)


def event_item(item) -> Markup:
    """One `events.queries.EventItem` as a list item (the Jinja global `event_item`)."""
    return _item(item, *_viewer_key(), request.script_root)


def event_items(items) -> Markup:
    """Several list items (the Jinja global `event_items`): the viewer's key once."""
    key = (*_viewer_key(), request.script_root)
    return Markup("").join(_item(item, *key) for item in items)


@lru_cache(maxsize=4096)
def _item(item, locale: str, zone: str, script_root: str) -> Markup:
    # The template sees `item` and nothing else of the page, so the key is complete.
    template = current_app.jinja_env.get_template("events/_event_item_markup.html")
    return Markup(template.render(item=item))  # noqa: S704 - autoescaped template output


def init_app(app) -> None:
    app.add_template_filter(event_span, "event_span")
    app.add_template_global(event_item, "event_item")
    app.add_template_global(event_items, "event_items")
