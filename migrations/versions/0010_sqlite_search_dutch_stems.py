"""SQLite search: index Dutch stems (as PostgreSQL's `dutch` does) and fill the index

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-02

"""

from alembic import op

revision = "0010"
down_revision = "0030"
branch_labels = None
depends_on = None

# Copies of search.models.FTS_DDL["sqlite"] before and after this revision: migrations
# must not change when the code does. PostgreSQL already stems (generated tsvector).
TRIGGERS = ("search_documents_ai", "search_documents_ad", "search_documents_au")
STEMMED = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body_text, "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body_text) "
    "VALUES (new.id, dutch_stems(new.title), dutch_stems(new.body_text)); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE OF title, body_text "
    "ON search_documents BEGIN "
    "UPDATE search_fts SET title = dutch_stems(new.title), "
    "body_text = dutch_stems(new.body_text) WHERE rowid = new.id; END",
    # Backfill: the rows already indexed, stemmed now.
    "INSERT INTO search_fts(rowid, title, body_text) "
    "SELECT id, dutch_stems(title), dutch_stems(body_text) FROM search_documents",
]
UNSTEMMED = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body_text, "
    "content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title, body_text) "
    "VALUES (new.id, new.title, new.body_text); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body_text) "
    "VALUES ('delete', old.id, old.title, old.body_text); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE OF title, body_text "
    "ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body_text) "
    "VALUES ('delete', old.id, old.title, old.body_text); "
    "INSERT INTO search_fts(rowid, title, body_text) "
    "VALUES (new.id, new.title, new.body_text); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def _replace_fts(statements: list[str]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from search.dutch import register_sqlite_functions

    # The app's connections have dutch_stems(); this makes sure the migration's does.
    register_sqlite_functions(op.get_bind().connection.dbapi_connection)
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")
    for statement in statements:
        op.execute(statement)


def upgrade():
    _replace_fts(STEMMED)


def downgrade():
    _replace_fts(UNSTEMMED)
