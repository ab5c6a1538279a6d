"""Read requests on PostgreSQL run their statements without a transaction around them.

psycopg opens a transaction with its own round trip (BEGIN) before a request's first
statement, and Flask-SQLAlchemy ends it with another (ROLLBACK) when the request is
over. For a page that runs two or three statements that is almost half of its round
trips, and a busy server spends them on nothing: under PostgreSQL's default READ
COMMITTED every statement already reads from its own snapshot, so a page reads exactly
what it read inside a transaction.

So a connection handed out during a GET or HEAD request is in autocommit mode; any
other connection (POST requests, tasks, commands) is not. The mode is set when the
pool hands the connection out, so a page that needs no data still opens none (a
database outage does not take it down). The few writes a page makes when it is read
(the read position of a thread, the count of a kennisbank item's readers) are single
upserts, each atomic on its own. A handler that needs several writes to succeed or
fail together, or a row lock, is a POST handler: those keep their transaction. SQLite
has no round trips to save and keeps its own handling.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event, exc

from core.extensions import db

READ_METHODS = frozenset({"GET", "HEAD"})


def is_read_request() -> bool:
    return has_request_context() and request.method in READ_METHODS


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        engine = db.engine
    dbapi_error = engine.dialect.loaded_dbapi.Error

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, _record, _proxy):
        try:
            dbapi_connection.autocommit = is_read_request()
        except dbapi_error as error:  # a broken connection: the pool takes another
            raise exc.DisconnectionError() from error
