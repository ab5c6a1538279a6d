"""The one place a policy decision becomes an HTTP answer."""

from __future__ import annotations

from flask import abort


def require(allowed: bool, *, hide: bool = False) -> None:
    """Abort unless `allowed`: 404 when the object's existence is itself private
    (`hide=True`), 403 otherwise."""
    if not allowed:
        abort(404 if hide else 403)
