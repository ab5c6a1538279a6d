"""Read requests on PostgreSQL run without a transaction (`core.transactions`): no
BEGIN/ROLLBACK round trips; POST requests and work outside requests keep theirs."""

from __future__ import annotations

import pytest
from flask import request
from sqlalchemy import text

from core.extensions import db
from tests.fixtures.services import IS_CI, need, postgres_available

seen: list[tuple[str, bool, str]] = []


@pytest.fixture
def backend() -> str:
    """These tests are about PostgreSQL: `app` runs on it only."""
    need(IS_CI or postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    return "postgresql"


@pytest.fixture
def probe(app):
    seen.clear()

    @app.route("/_probe", methods=["GET", "POST"])
    def probe_view():
        db.session.execute(text("SELECT 1"))
        dbapi = db.session.connection().connection.dbapi_connection
        seen.append((request.method, dbapi.autocommit, dbapi.info.transaction_status.name))
        return "ok"

    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_a_get_request_reads_in_autocommit_a_post_in_a_transaction(probe):
    assert probe.get("/_probe").status_code == 200
    assert probe.post("/_probe").status_code == 200
    assert probe.get("/_probe").status_code == 200
    assert seen == [("GET", True, "IDLE"), ("POST", False, "INTRANS"), ("GET", True, "IDLE")]


def test_outside_a_request_the_connection_has_a_transaction(probe):
    probe.get("/_probe")
    db.session.execute(text("SELECT 1"))
    dbapi = db.session.connection().connection.dbapi_connection
    assert dbapi.autocommit is False
    assert dbapi.info.transaction_status.name == "INTRANS"


def test_a_read_position_written_by_a_get_is_kept(
    client_for, make_user, make_group, join, make_thread
):
    from forum.models import ThreadRead

    member = make_user()
    group = make_group("Leesgroep")
    join(group, member)
    thread = make_thread(group, member)
    db.session.commit()
    assert client_for(member).get(f"/threads/{thread.id}").status_code == 200
    db.session.expire_all()
    read = db.session.query(ThreadRead).filter_by(thread_id=thread.id, user_id=member.id).one()
    assert read.last_read_post_id == thread.last_post_id
