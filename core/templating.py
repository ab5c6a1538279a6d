"""Template globals shared by every page, including the main navigation."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user

from core.i18n import lazy_gettext as _l

# (endpoint, label, who sees it). Items of features not built yet are left out.
NAV_ITEMS: list[tuple[str, object, Callable[[object], bool]]] = [
    ("groups.list_groups", _l("Groepen"), lambda user: True),
    ("events.list_events", _l("Bijeenkomsten"), lambda user: True),
    ("knowledge.list_items", _l("Kennisbank"), lambda user: True),
    ("advice.index", _l("Advies"), lambda user: True),
    ("insight.overview", _l("Inzicht"), lambda user: True),
    ("notifications.list_notifications", _l("Meldingen"), lambda user: True),
    ("moderation.queue", _l("Moderatie"), lambda user: user.can_moderate_anything),
    ("auth.admin_members", _l("Beheer"), lambda user: user.is_admin),
]


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def nav_items() -> list[tuple[str, object]]:
    return [
        (endpoint, label)
        for endpoint, label, visible in NAV_ITEMS
        if has_endpoint(endpoint) and visible(current_user)
    ]


#: URLs built for templates, kept per process (a new dict when it is full).
URLS_KEPT = 20_000


def kept_url_for(endpoint: str, **values) -> str:
    """`url_for` for templates, each URL built once per process: every page links the
    same menu, groups and threads again, and each link went through Werkzeug's router.
    A URL here depends only on the endpoint, its values (with their types, in their
    order) and the request's script root: the app sets no URL defaults, and relative
    endpoints, external URLs and renders outside a request are built as before."""
    if endpoint.startswith(".") or "_external" in values or not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *((k, type(v), v) for k, v in values.items()))
    kept = current_app.extensions["kept_urls"]
    try:
        return kept[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value (a list of ids)
        return url_for(endpoint, **values)
    url = url_for(endpoint, **values)
    if len(kept) >= URLS_KEPT:
        kept.clear()
    kept[key] = url
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.extensions["kept_urls"] = {}
    app.jinja_env.globals.update(
        has_endpoint=has_endpoint, nav_items=nav_items, url_for=kept_url_for
    )

    @app.context_processor
    def inject_site():
        return {"site_name": app.config["SITE_NAME"]}
