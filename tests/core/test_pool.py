"""Pooled connections on PostgreSQL: a connection killed while idle (a database restart)
is replaced before use, and a connection in steady use is not pinged on every checkout
(`core.db.ping_after_idle`)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from core.extensions import db
from tests.conftest import build_test_app
from tests.fixtures.services import IS_CI, need, postgres_available


@pytest.fixture
def pg_url(postgres_url):
    need(IS_CI or postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    return postgres_url


def _app(url, tmp_path, idle_seconds: float):
    return build_test_app(url, tmp_path, DATABASE_PING_AFTER_IDLE_SECONDS=idle_seconds)


def _backend_pid(app) -> int:
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()  # back to the pool, idle
    return pid


def _count_pings(app, monkeypatch) -> list[int]:
    pings: list[int] = []
    with app.app_context():
        dialect = db.engine.dialect
    original = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or original(conn))
    return pings


def test_a_connection_killed_while_idle_is_replaced_before_use(pg_url, tmp_path):
    app = _app(pg_url, tmp_path, idle_seconds=0.0)
    pid = _backend_pid(app)
    admin = create_engine(pg_url)
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()

    assert app.test_client().get("/healthz").status_code == 200
    assert _backend_pid(app) != pid
    with app.app_context():
        db.engine.dispose()


def test_idle_connections_are_pinged_busy_ones_are_not(pg_url, tmp_path, monkeypatch):
    idle = _app(pg_url, tmp_path / "idle", idle_seconds=0.0)
    busy = _app(pg_url, tmp_path / "busy", idle_seconds=3600.0)
    _backend_pid(idle)
    _backend_pid(busy)  # both pools now hold a connection, just checked in
    pings = _count_pings(idle, monkeypatch)
    for _ in range(3):
        _backend_pid(idle)
    assert pings == [1, 1, 1]

    pings = _count_pings(busy, monkeypatch)
    for _ in range(3):
        _backend_pid(busy)
    assert pings == []
    for app in (idle, busy):
        with app.app_context():
            db.engine.dispose()
