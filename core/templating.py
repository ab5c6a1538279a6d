"""Template globals shared by every page, including the main navigation."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
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


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(has_endpoint=has_endpoint, nav_items=nav_items)

    @app.context_processor
    def inject_site():
        return {"site_name": app.config["SITE_NAME"]}
