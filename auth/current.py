"""The signed-in member, loaded once per request (Flask-Login's user loader), and the
anonymous visitor."""

from __future__ import annotations

from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError

from auth.models import User
from core.extensions import db


class Anonymous(AnonymousUserMixin):
    is_active_member = False
    is_admin = False
    is_moderator = False
    can_moderate_anything = False
    role = None
    language = None
    timezone = None


def register_user_column(app, name: str, column) -> None:
    """Let a feature above load a per-member figure together with the member, in the same
    statement: `column()` returns a scalar subquery correlated with `User.id` (the nav's
    unread notification count). The value is in `user.loaded_columns[name]`."""
    app.extensions.setdefault("user_columns", {})[name] = column


def _user_statement(app):
    """The member and the registered columns, built once per app (the columns are
    registered while the app is assembled); the id is a bound parameter."""
    extra = app.extensions.get("user_columns", {})
    built = app.extensions.get("user_statement")
    if built is None or built[0] != tuple(extra):
        statement = select(User, *(column().label(name) for name, column in extra.items()))
        built = (tuple(extra), statement.where(User.id == bindparam("user_id")))
        app.extensions["user_statement"] = built
    return built


def load_user(user_id: str) -> User | None:
    uid, _, version = user_id.partition(":")
    if not uid.isdigit() or not version.isdigit():
        return None
    extra, statement = _user_statement(current_app)
    try:
        row = db.session.execute(statement, {"user_id": int(uid)}).first()
    except SQLAlchemyError:
        db.session.rollback()
        return None
    user = row[0] if row else None
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    user.loaded_columns = dict(zip(extra, row[1:], strict=True))
    return user
