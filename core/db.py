"""The declarative base, constraint naming and the aware-UTC datetime type."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite has no time zones, so values come back naive there; they were written
    as UTC, so UTC is attached on the way out. Naive values are refused on the way in
    because a naive datetime is a bug waiting for the next DST change.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def upsert_insert(dialect_name: str):
    """The dialect's `insert`, which has ON CONFLICT DO NOTHING / DO UPDATE (PostgreSQL
    and SQLite, the two databases the project runs on)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def configure_sqlite(engine) -> None:
    """Make SQLite behave: enforced foreign keys, a generous lock wait, WAL for readers.

    pysqlite's own transaction handling is kept (reads outside a transaction see the
    latest commit); code that needs "insert unless present" uses ON CONFLICT rather
    than savepoints, which pysqlite cannot nest safely before Python 3.12.
    """
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database and engine.url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def ping_after_idle(engine, seconds: float) -> None:
    """Check a pooled connection before handing it out only when it has been idle for
    more than `seconds` (a database restart kills idle connections; a busy worker reuses
    its connection within milliseconds). `pool_pre_ping` pings on every checkout: one
    extra round trip per request.

    A connection that fails the ping is discarded and the pool connects again
    (`DisconnectionError` from a checkout listener)."""
    import time

    from sqlalchemy import event, exc

    @event.listens_for(engine, "connect")
    def on_connect(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", 0.0) <= seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError() from error


class id_list(FunctionElement):
    """`id_list(column)`: the values of an integer column as one comma-separated string
    (`string_agg` on PostgreSQL, `group_concat` on SQLite), so that a scalar subquery can
    hand a short list of ids to Python inside a larger one-row select."""

    type = String()
    inherit_cache = True
    name = "id_list"


@compiles(id_list)
def _id_list_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(id_list, "postgresql")
def _id_list_postgresql(element, compiler, **kw):
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ',')"


def parse_ids(value: str | None) -> list[int]:
    """The ids of an `id_list` result ('' or None: none)."""
    return [int(part) for part in value.split(",")] if value else []
