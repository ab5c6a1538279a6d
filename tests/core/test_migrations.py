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
