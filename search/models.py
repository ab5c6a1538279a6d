"""The search index: one row per searchable thread, reply or event.

The rows are denormalised copies (group, author sector, question state, visibility) so
that a search is one indexed query without joins over the forum tables. Who may read a
group is *not* copied: it is decided at query time through
`groups.queries.readable_group_ids`, so a membership change is effective at once.

The full-text objects differ per database and are created with DDL events, so
`create_all` works on both:

- PostgreSQL: a generated `search_vector tsvector` column (Dutch configuration, title
  weight A, body weight B) with a GIN index.
- SQLite: an FTS5 table `search_fts` of the Dutch stems of title and text
  (`search.dutch`, the stemmer PostgreSQL's `dutch` uses; unicode61, diacritics
  folded) kept in step by triggers on `search_documents`.

Migrations must create the same objects: see `FTS_DDL` below (the lead copies them
into the Alembic revision with `op.execute`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.extensions import db
from search import dutch  # noqa: F401 - gives every SQLite connection dutch_stems()

DOCUMENT_KINDS = ("thread", "post", "event", "knowledge")


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    object_id: Mapped[int]
    # No foreign keys: the index is derived data, rebuilt by `flask search reindex`,
    # and must never block a delete in the tables it mirrors.
    thread_id: Mapped[int | None] = mapped_column(index=True)
    group_id: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(index=True)
    author_sector_id: Mapped[int | None]
    is_question: Mapped[bool] = mapped_column(default=False)
    is_answered: Mapped[bool] = mapped_column(default=False)
    # Own state (post or thread hidden/deleted, event cancelled) and, for replies, the
    # thread's state; plus the author's suspension. All three must be true to show.
    is_visible: Mapped[bool] = mapped_column(default=True)
    is_thread_visible: Mapped[bool] = mapped_column(default=True)
    is_author_suspended: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_group_id_created_at", "group_id", "created_at"),
        # Common words are matched newest first by walking this index (see queries.py).
        Index("ix_search_documents_created_at", "created_at"),
    )


# PostgreSQL's parser treats "<script>…</script>" in text as markup and skips it; the
# text here is plain (members may write about tags), so angle brackets become spaces.
PG_VECTOR = (
    "setweight(to_tsvector('dutch', translate(coalesce(title, ''), '<>', '  ')), 'A') || "
    "setweight(to_tsvector('dutch', translate(coalesce(body_text, ''), '<>', '  ')), 'B')"
)

FTS_DDL = {
    "postgresql": [
        f"ALTER TABLE search_documents ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
        "CREATE INDEX ix_search_documents_search_vector ON search_documents "
        "USING gin (search_vector)",
    ],
    # The FTS5 table holds the Dutch stems of the title and text (search.dutch), not
    # the text itself: `dutch_stems()` is a SQL function every connection gets. It keeps
    # its own copy, so a row is removed by rowid, whatever the stemmer made of it.
    "sqlite": [
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
    ],
}

FTS_DROP_DDL = {
    "sqlite": ["DROP TABLE IF EXISTS search_fts"],
}

_table = SearchDocument.__table__
for _dialect, _statements in FTS_DDL.items():
    for _statement in _statements:
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect=_dialect))
for _dialect, _statements in FTS_DROP_DDL.items():
    for _statement in _statements:
        event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect=_dialect))
