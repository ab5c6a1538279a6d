"""Keeping `search_documents` in step with the forum and events, in the same transaction.

The features announce their changes with signals (core/signals.py); the receivers here
rewrite the index rows of the threads, posts, events and members concerned on the
session's own connection, so the index commits or rolls back together with the change
and no feature calls search. The rows are read back from the database (not from the
Python objects), which makes the result the same whether a change came through the ORM,
a bulk statement or `flask search reindex`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import aliased

from auth.models import User
from core import signals
from core.db import upsert_insert
from core.extensions import db
from core.text import html_to_text
from events.models import Event
from forum.models import Post, Thread
from knowledge.models import KnowledgeItem
from search.models import SearchDocument

TITLE_LIMIT = 200
BATCH = 500
DOCS = SearchDocument.__table__


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def _upsert(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    columns = frozenset(key for key in rows[0] if key not in {"kind", "object_id"})
    conn.execute(_upsert_statement(conn.dialect.name, columns), rows)


@lru_cache(maxsize=16)
def _upsert_statement(dialect_name: str, columns: frozenset[str]):
    """The index rows' upsert for these columns, built once (every reply writes one)."""
    stmt = upsert_insert(dialect_name)(DOCS)
    return stmt.on_conflict_do_update(
        index_elements=["kind", "object_id"],
        set_={name: stmt.excluded[name] for name in sorted(columns)},
    )


def _author_columns(suspended_status, sector_id) -> dict:
    return {"is_author_suspended": suspended_status == "suspended", "author_sector_id": sector_id}


def index_threads(conn: Connection, thread_ids: Iterable[int]) -> None:
    """(Re)write the index rows of threads (title + opening post) and copy the
    thread's group, question state and visibility onto its replies' rows."""
    opening = aliased(Post)
    for chunk in _chunks(thread_ids):
        found = conn.execute(
            select(
                Thread.id, Thread.group_id, Thread.author_id, Thread.title, Thread.kind,
                Thread.accepted_post_id, Thread.hidden_at, Thread.deleted_at,
                Thread.created_at, User.status, User.sector_id,
            )
            .outerjoin(User, User.id == Thread.author_id)
            .where(Thread.id.in_(chunk))
        ).all()  # fmt: skip
        bodies = {
            row.thread_id: row
            for row in conn.execute(
                select(opening.thread_id, opening.body_html, opening.hidden_at, opening.deleted_at)
                .where(opening.thread_id.in_(chunk), opening.depth == 0)
                .order_by(opening.id.desc())
            )
        }
        rows = []
        for t in found:
            body = bodies.get(t.id)
            body_text = ""
            if body is not None and body.hidden_at is None and body.deleted_at is None:
                body_text = html_to_text(body.body_html)
            visible = t.hidden_at is None and t.deleted_at is None
            is_question = t.kind == "question"
            is_answered = t.accepted_post_id is not None
            rows.append(
                {
                    "kind": "thread",
                    "object_id": t.id,
                    "thread_id": t.id,
                    "group_id": t.group_id,
                    "author_id": t.author_id,
                    "is_question": is_question,
                    "is_answered": is_answered,
                    "is_visible": visible,
                    "is_thread_visible": visible,
                    "created_at": t.created_at,
                    "title": t.title[:TITLE_LIMIT],
                    "body_text": body_text,
                    **_author_columns(t.status, t.sector_id),
                }
            )
            conn.execute(
                update(DOCS)
                .where(DOCS.c.thread_id == t.id, DOCS.c.kind == "post")
                .values(
                    group_id=t.group_id,
                    is_question=is_question,
                    is_answered=is_answered,
                    is_thread_visible=visible,
                )
            )
        _upsert(conn, rows)
        missing = set(chunk) - {t.id for t in found}
        if missing:
            remove_threads(conn, missing)


def index_posts(conn: Connection, post_ids: Iterable[int]) -> None:
    """(Re)write the index rows of replies; an opening post reindexes its thread."""
    for chunk in _chunks(post_ids):
        found = conn.execute(
            select(
                Post.id, Post.thread_id, Post.author_id, Post.depth, Post.body_html,
                Post.created_at, Post.hidden_at, Post.deleted_at, Thread.group_id,
                Thread.kind, Thread.accepted_post_id, Thread.hidden_at.label("thread_hidden_at"),
                Thread.deleted_at.label("thread_deleted_at"), User.status, User.sector_id,
            )
            .join(Thread, Thread.id == Post.thread_id)
            .outerjoin(User, User.id == Post.author_id)
            .where(Post.id.in_(chunk))
        ).all()  # fmt: skip
        rows, opening_threads = [], set()
        for p in found:
            if p.depth == 0:
                opening_threads.add(p.thread_id)
                continue
            rows.append(
                {
                    "kind": "post",
                    "object_id": p.id,
                    "thread_id": p.thread_id,
                    "group_id": p.group_id,
                    "author_id": p.author_id,
                    "is_question": p.kind == "question",
                    "is_answered": p.accepted_post_id is not None,
                    "is_visible": p.hidden_at is None and p.deleted_at is None,
                    "is_thread_visible": p.thread_hidden_at is None and p.thread_deleted_at is None,
                    "created_at": p.created_at,
                    "title": "",
                    "body_text": html_to_text(p.body_html),
                    **_author_columns(p.status, p.sector_id),
                }
            )
        _upsert(conn, rows)
        remove(conn, "post", set(chunk) - {p.id for p in found})
        index_threads(conn, opening_threads)


def index_events(conn: Connection, event_ids: Iterable[int]) -> None:
    """(Re)write the index rows of events: title and description, never the location."""
    for chunk in _chunks(event_ids):
        found = conn.execute(
            select(
                Event.id, Event.group_id, Event.created_by_id, Event.title,
                Event.description_html, Event.starts_at, Event.status, User.status.label("ustatus"),
                User.sector_id,
            )
            .outerjoin(User, User.id == Event.created_by_id)
            .where(Event.id.in_(chunk))
        ).all()  # fmt: skip
        rows = [
            {
                "kind": "event",
                "object_id": e.id,
                "thread_id": None,
                "group_id": e.group_id,
                "author_id": e.created_by_id,
                "is_question": False,
                "is_answered": False,
                # A cancelled meeting is no longer something to find and sign up for.
                "is_visible": e.status != "cancelled",
                "is_thread_visible": True,
                # Events are found by when they happen, so that is their date here.
                "created_at": e.starts_at,
                "title": e.title[:TITLE_LIMIT],
                "body_text": html_to_text(e.description_html),
                **_author_columns(e.ustatus, e.sector_id),
            }
            for e in found
        ]
        _upsert(conn, rows)
        remove(conn, "event", set(chunk) - {e.id for e in found})


def index_knowledge(conn: Connection, item_ids: Iterable[int]) -> None:
    """(Re)write the index rows of kennisbank items. Only published ones are visible;
    who may read them (members-only) is decided at query time, like groups."""
    fields = ("summary", "goal", "target_group", "method", "rationale", "delivery", "provider")
    for chunk in _chunks(item_ids):
        found = conn.execute(
            select(
                KnowledgeItem.id, KnowledgeItem.title, KnowledgeItem.status,
                KnowledgeItem.body_html, KnowledgeItem.published_at, KnowledgeItem.created_at,
                *(getattr(KnowledgeItem, name) for name in fields),
            ).where(KnowledgeItem.id.in_(chunk))
        ).all()  # fmt: skip
        rows = [
            {
                "kind": "knowledge",
                "object_id": k.id,
                "thread_id": None,
                "group_id": 0,  # no group: see search.queries._filtered
                "author_id": None,
                "author_sector_id": None,
                "is_question": False,
                "is_answered": False,
                "is_visible": k.status == "published",
                "is_thread_visible": True,
                "is_author_suspended": False,
                "created_at": k.published_at or k.created_at,
                "title": k.title[:TITLE_LIMIT],
                "body_text": " ".join(
                    [*(getattr(k, name) for name in fields), html_to_text(k.body_html)]
                ).strip(),
            }
            for k in found
        ]
        _upsert(conn, rows)
        remove(conn, "knowledge", set(chunk) - {k.id for k in found})


def index_authors(conn: Connection, user_ids: Iterable[int]) -> None:
    """Copy members' sector and suspension onto the rows of everything they wrote."""
    for chunk in _chunks(user_ids):
        for u in conn.execute(
            select(User.id, User.status, User.sector_id).where(User.id.in_(chunk))
        ):
            conn.execute(
                update(DOCS)
                .where(DOCS.c.author_id == u.id)
                .values(**_author_columns(u.status, u.sector_id))
            )


def remove(conn: Connection, kind: str, object_ids: Iterable[int]) -> None:
    for chunk in _chunks(object_ids):
        conn.execute(delete(DOCS).where(DOCS.c.kind == kind, DOCS.c.object_id.in_(chunk)))


def remove_threads(conn: Connection, thread_ids: Iterable[int]) -> None:
    for chunk in _chunks(thread_ids):
        conn.execute(delete(DOCS).where(DOCS.c.thread_id.in_(chunk), DOCS.c.kind != "event"))


def rebuild_index(conn: Connection) -> dict[str, int]:
    """Empty the index and fill it again from the forum and events tables."""
    conn.execute(delete(DOCS))
    thread_ids = list(conn.scalars(select(Thread.id)))
    post_ids = list(conn.scalars(select(Post.id).where(Post.depth > 0)))
    index_threads(conn, thread_ids)
    index_posts(conn, post_ids)
    event_ids = list(conn.scalars(select(Event.id)))
    index_events(conn, event_ids)
    item_ids = list(conn.scalars(select(KnowledgeItem.id)))
    index_knowledge(conn, item_ids)
    return {
        "threads": len(thread_ids),
        "posts": len(post_ids),
        "events": len(event_ids),
        "knowledge items": len(item_ids),
    }


# --- keeping in step: the features' signals ---------------------------------------------
#
# Every change that alters what search shows is announced by a signal (core/signals.py);
# the receivers rewrite the affected rows on the session's connection, inside the
# request's transaction.


def _session_connection() -> Connection:
    return db.session.connection()


def on_thread_created(sender=None, *, thread, **extra) -> None:
    index_threads(_session_connection(), [thread.id])


def on_post_changed(sender=None, *, post, **extra) -> None:
    # created, edited, hidden, restored, deleted, redacted; an opening post reindexes its thread
    index_posts(_session_connection(), [post.id])


def on_thread_changed(sender=None, *, thread, **extra) -> None:
    index_threads(_session_connection(), [thread.id])


def on_member_changed(sender=None, *, user, **extra) -> None:
    index_authors(_session_connection(), [user.id])


def on_event_changed(sender=None, *, event, **extra) -> None:
    index_events(_session_connection(), [event.id])


def on_knowledge_item_changed(sender=None, *, item, **extra) -> None:
    index_knowledge(db.session.connection(), [item.id])


def connect_receivers() -> None:
    """Called by `search.views.init_app`."""
    signals.thread_created.connect(on_thread_created, weak=False)
    signals.post_created.connect(on_post_changed, weak=False)
    signals.post_edited.connect(on_post_changed, weak=False)
    signals.post_moderated.connect(on_post_changed, weak=False)
    signals.thread_changed.connect(on_thread_changed, weak=False)
    signals.answer_accepted.connect(on_thread_changed, weak=False)
    signals.member_changed.connect(on_member_changed, weak=False)
    signals.event_changed.connect(on_event_changed, weak=False)
    signals.knowledge_item_changed.connect(on_knowledge_item_changed, weak=False)
