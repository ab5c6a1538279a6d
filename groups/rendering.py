"""Thread lists (the group page, the dashboard) as rows of HTML rendered once and kept
per process (`core.fragments`): the key is the row's plain values (title, counts, the
viewer's read state, labels), whether the list shows groups and tags, the language and
the time zone, so a changed thread or a read one has a new key and its old row is never
served."""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from core.fragments import FragmentCache
from core.i18n import current_language, current_zone_name


def thread_item(row, show_group: bool, show_tags: bool) -> Markup:
    app = current_app
    cache = app.extensions.get("thread_item_fragments")
    if cache is None:
        cache = app.extensions["thread_item_fragments"] = FragmentCache()
    key = (row, show_group, show_tags, current_language(), current_zone_name())
    return cache.get(key, lambda: _macros(app).item(row, show_group, show_tags))


def _macros(app):
    found = app.extensions.get("thread_item_macros")
    if found is None:
        found = app.jinja_env.get_template("groups/_thread_item.html").make_module()
        app.extensions["thread_item_macros"] = found
    return found


def init_app(app) -> None:
    app.jinja_env.globals["thread_item"] = thread_item
