"""Cursor (keyset) pagination: stable under inserts, one indexed range scan per page.

A cursor is the sort-key values of the last row of a page, signed with the app's
secret: opaque to clients, and a tampered or foreign cursor is a 400, not a surprise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, and_, or_
from sqlalchemy.sql.elements import ColumnElement

from api.http import api_abort
from core.extensions import db

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


@dataclass(frozen=True)
class SortKey:
    """One column of a listing's order. `attr` reads the value from a row object;
    `kind` says how the value travels in the cursor."""

    column: ColumnElement
    attr: str
    descending: bool = False
    kind: str = "int"  # "int" | "str" | "datetime"


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def _encode(value: Any, kind: str) -> Any:
    return value.isoformat() if kind == "datetime" else value


def _decode(value: Any, kind: str) -> Any:
    if kind == "datetime":
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive datetime in cursor")
        return parsed
    if kind == "int" and not isinstance(value, int):
        raise ValueError("not an int")
    if kind == "str" and not isinstance(value, str):
        raise ValueError("not a string")
    return value


def encode_cursor(row: Any, keys: tuple[SortKey, ...], listing: str) -> str:
    values = [_encode(getattr(row, key.attr), key.kind) for key in keys]
    return _serializer().dumps([listing, values])


def decode_cursor(cursor: str, keys: tuple[SortKey, ...], listing: str) -> list[Any]:
    """The sort values in `cursor`; 400 when it is not one of ours for this listing."""
    try:
        name, values = _serializer().loads(cursor)
        if name != listing or len(values) != len(keys):
            raise ValueError("cursor of another listing")
        return [_decode(value, key.kind) for value, key in zip(values, keys, strict=True)]
    except (BadSignature, ValueError, TypeError):
        api_abort(400, "invalid_cursor", "The cursor is not valid for this listing.")


def _after(keys: tuple[SortKey, ...], values: list[Any]):
    """Rows strictly after `values` in the order of `keys` (mixed directions allowed)."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column == values[j] for j in range(i)]
        beyond = key.column < values[i] if key.descending else key.column > values[i]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


def paginate(
    stmt: Select, keys: tuple[SortKey, ...], *, listing: str, cursor: str | None, limit: int
) -> Page:
    """One page of `stmt` in the order of `keys`, after `cursor`."""
    if cursor:
        stmt = stmt.where(_after(keys, decode_cursor(cursor, keys, listing)))
    order = [key.column.desc() if key.descending else key.column.asc() for key in keys]
    rows = list(db.session.scalars(stmt.order_by(*order).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1], keys, listing) if more and rows else None)
