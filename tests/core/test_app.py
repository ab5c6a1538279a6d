"""The skeleton: configuration, security headers, errors, language, health."""

from __future__ import annotations

import os

import pytest

from composition import create_app
from core.config import ConfigError


def test_app_starts_on_embedded_defaults(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "SMTP_URL", "SECRET_KEY", "PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'jep.sqlite3'}"
    assert app.config["CELERY"]["task_always_eager"] is True
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (tmp_path / "secret_key").read_text() == app.config["SECRET_KEY"]
    assert (
        create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
        == app.config["SECRET_KEY"]
    )


def test_app_uses_redis_and_smtp_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")
    monkeypatch.setenv("SMTP_URL", "smtp://mail.example:587")
    monkeypatch.setenv("BASE_URL", "https://jep.example.nl")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["CELERY"]["broker_url"] == "redis://127.0.0.1:6379/5"
    assert app.config["CELERY"]["task_always_eager"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/5"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PRODUCTION", "1")
    with pytest.raises(ConfigError):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_env_file_is_read(tmp_path, monkeypatch):
    import core.config

    monkeypatch.delenv("SITE_NAME", raising=False)
    (tmp_path / ".env").write_text("SITE_NAME=JEP Test\n")
    config = core.config.build_config(tmp_path / "instance", tmp_path, {"SECRET_KEY": "x" * 40})
    assert config["SITE_NAME"] == "JEP Test"
    # Not monkeypatch.delenv: its undo would put the value from .env back afterwards.
    os.environ.pop("SITE_NAME", None)


def test_landing_page_has_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):  # fmt: skip
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client):
    client.post("/taal", data={"language": "en"})
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


@pytest.mark.parametrize("path", ["/", "/over", "/privacy", "/toegankelijkheid"])
def test_public_pages_render_in_dutch(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="nl">' in response.get_data(as_text=True)


def test_language_switch_changes_to_english_and_back(client):
    client.post("/taal", data={"language": "en", "next": "/over"})
    page = client.get("/over").get_data(as_text=True)
    assert '<html lang="en">' in page
    client.post("/taal", data={"language": "nl"})
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_accept_language_is_used_before_the_default(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_language_switch_ignores_foreign_redirects(client):
    response = client.post("/taal", data={"language": "nl", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_unknown_page_gets_friendly_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_too_large_body_gets_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/auth/login", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "Te groot" in response.get_data(as_text=True)


def test_unexpected_error_renders_500_page(app, client):
    app.config["RENDER_500_IN_TESTS"] = True

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)


def test_post_without_csrf_token_gets_400(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/taal", data={"language": "en"})
    assert response.status_code == 400
    assert "formulier is verlopen" in response.get_data(as_text=True)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok"}


def test_healthz_reports_503_when_redis_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "unavailable"


def test_seed_taxonomy_is_idempotent(app):
    from sqlalchemy import func, select

    from core.cli import seed_taxonomy_data
    from core.extensions import db
    from groups.models import Group

    seed_taxonomy_data()
    seed_taxonomy_data()
    db.session.commit()
    assert db.session.scalar(select(func.count(Group.id)).where(Group.kind == "regional")) == 27


def test_aware_datetimes_round_trip_in_utc(app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from core.extensions import db
    from core.models import OutboxMessage

    amsterdam = datetime(2026, 7, 1, 14, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    row = OutboxMessage(message_id="<x@y>", to_address="a@b.nl", subject="s", text_body="t",
                        html_body="h", created_at=amsterdam)  # fmt: skip
    db.session.add(row)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, row.id).created_at
    assert stored.utcoffset().total_seconds() == 0
    assert stored == amsterdam


def test_naive_datetimes_are_refused(app):
    from datetime import datetime

    from sqlalchemy.exc import StatementError

    from core.extensions import db
    from core.models import OutboxMessage

    db.session.add(
        OutboxMessage(
            message_id="<x@y>",
            to_address="a@b.nl",
            subject="s",
            text_body="t",
            html_body="h",
            created_at=datetime(2026, 1, 1),  # noqa: DTZ001 - the point of the test
        )
    )
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()
