"""Opt-in `X-Query-Count` response header (QUERY_COUNT_HEADER=1), used by `make bench`
to report SQL statements per request without touching the code being measured."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy import event

from core.extensions import db


def init_app(app: Flask) -> None:
    if not app.config.get("QUERY_COUNT_HEADER"):
        return

    def count(*_args, **_kwargs):
        if hasattr(g, "query_count"):
            g.query_count += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)

    @app.before_request
    def start_counting():
        g.query_count = 0

    @app.after_request
    def report(response):
        response.headers["X-Query-Count"] = str(getattr(g, "query_count", 0))
        return response
