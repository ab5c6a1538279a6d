"""Public pages, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    dashboard = current_app.view_functions.get("home.dashboard")
    if dashboard and current_user.is_authenticated and current_user.is_active_member:
        return dashboard()
    return render_template("core/landing.html")


@bp.get("/over")
def about():
    return render_template("core/about.html")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template("core/accessibility.html")


@bp.post("/taal")
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and hasattr(current_user, "language"):
            current_user.language = language
            db.session.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.index")
    return redirect(target)


@bp.get("/healthz")
def healthz():
    checks = {"database": _check_database()}
    if current_app.config["REDIS_URL"]:
        checks["redis"] = _check_redis(current_app.config["REDIS_URL"])
    healthy = all(checks.values())
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return body, 200 if healthy else 503


def _check_database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _check_redis(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False
