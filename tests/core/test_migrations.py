"""Alembic migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from composition import create_app
from core.extensions import db

# Objects made by raw DDL (full-text search) that the models do not describe.
RAW_DDL_OBJECTS = {"search_fts", "search_fts_config", "search_fts_data", "search_fts_docsize",
                   "search_fts_content",
                   "search_fts_idx", "search_vector", "ix_search_documents_search_vector"}  # fmt: skip


def _relevant(diff) -> bool:
    name = getattr(diff[1], "name", None) if len(diff) > 1 else None
    if diff[0] in {"add_column", "remove_column"}:
        name = diff[3].name
    if diff[0] in {"remove_index", "add_index"} and name == "ix_users_email_lower":
        return False  # Expression index: SQLite cannot reflect it.
    return name not in RAW_DDL_OBJECTS


@pytest.fixture
def empty_database(backend, request, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    import uuid

    import psycopg

    from tests.fixtures.services import POSTGRES_ADMIN_URL

    name = f"jep_migrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# SQLite cannot reflect the expression index on lower(email); alembic says so, and the
# index is checked on PostgreSQL.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
def test_upgrade_matches_the_models_and_downgrade_removes_everything(empty_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x" * 40,
                      "INSTANCE_PATH": str(tmp_path)})  # fmt: skip
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"render_as_batch": True})
            diffs = [d for d in compare_metadata(context, db.metadata) if _relevant(d)]
        assert diffs == []
        downgrade(revision="base")
        db.engine.dispose()
    engine = create_engine(empty_database)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def _insert(conn, table_name: str, **values) -> int:
    """Insert one row, filling every other NOT NULL column with a plain value."""
    from datetime import UTC, datetime

    from sqlalchemy import Boolean, DateTime, Integer, MetaData, Table

    table = Table(table_name, MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        if isinstance(column.type, Boolean):
            row[column.name] = False
        elif isinstance(column.type, Integer):
            row[column.name] = 0
        elif isinstance(column.type, DateTime) or "datetime" in type(column.type).__name__.lower():
            row[column.name] = datetime(2026, 1, 1, tzinfo=UTC)
        else:
            length = getattr(column.type, "length", None) or 40
            row[column.name] = "x" * min(length, 8)
    return conn.execute(table.insert().values(row)).inserted_primary_key[0]


def test_0012_gives_attended_registrations_a_code_and_cleans_one_line_fields(
    empty_database, tmp_path
):
    from datetime import UTC, datetime

    from sqlalchemy import text

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x" * 40,
                      "INSTANCE_PATH": str(tmp_path)})  # fmt: skip
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as conn:
            user = _insert(conn, "users", display_name="\u202eSanne\u202c Bakker",
                           organisation="Gemeente\u2066 Ede")  # fmt: skip
            group = _insert(conn, "groups", name="Regio \u202eWest", name_en="")
            event = _insert(conn, "events", group_id=group, title="Training\u2067 dag",
                            starts_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
                            ends_at=datetime(2026, 3, 1, 12, tzinfo=UTC))  # fmt: skip
            _insert(conn, "event_registrations", event_id=event, user_id=user,
                    status="confirmed", attended=True)  # fmt: skip
            _insert(conn, "threads", group_id=group, title="Vraag \u202d over ouders")
        upgrade()
        with db.engine.connect() as conn:
            [code] = conn.execute(text("SELECT certificate_code FROM event_registrations"))
            assert len(code[0]) == 24
            names = conn.execute(text("SELECT display_name, organisation FROM users")).one()
            assert tuple(names) == ("Sanne Bakker", "Gemeente Ede")
            assert conn.execute(text("SELECT name FROM groups")).scalar() == "Regio West"
            assert conn.execute(text("SELECT title FROM events")).scalar() == "Training dag"
            assert conn.execute(text("SELECT title FROM threads")).scalar() == "Vraag  over ouders"
        downgrade(revision="base")
        db.engine.dispose()
