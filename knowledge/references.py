"""Links to the kennisbank from posts and event descriptions.

`[[kennisbank:slug]]` or a bare link to `/kennisbank/<slug>` renders as a card with the
item's title and kind (through the inline-card hook in core/text.py, on write), and the
post or event is recorded as a reference so the item shows where it was discussed.
"""

from __future__ import annotations

import re

from flask import current_app, has_app_context
from markupsafe import escape
from sqlalchemy import delete, select

from core import signals
from core.extensions import db
from core.text import register_inline_card
from knowledge.labels import kind_label
from knowledge.models import KnowledgeItem, KnowledgeReference, KnowledgeSlugRedirect

PREFIX = "kennisbank"
_TOKEN = re.compile(r"\[\[kennisbank:([a-z0-9-]{1,80})\]\]")
_PATH = re.compile(r"(?:https?://[^\s/\"<>]+)?/kennisbank/([a-z0-9-]{1,80})(?![\w/-])")


def find_item(slug: str) -> KnowledgeItem | None:
    """The item with this slug, or the one that had it before a rename."""
    item = db.session.scalar(select(KnowledgeItem).where(KnowledgeItem.slug == slug))
    if item is not None:
        return item
    return db.session.scalar(
        select(KnowledgeItem)
        .join(KnowledgeSlugRedirect, KnowledgeSlugRedirect.item_id == KnowledgeItem.id)
        .where(KnowledgeSlugRedirect.slug == slug)
    )


def render_card(slug: str) -> str | None:
    """The card HTML for a published item, or None (the text stays as written)."""
    if not has_app_context():
        return None
    item = find_item(slug)
    if item is None or item.status != "published":
        return None
    return (
        f'<a class="knowledge-card" href="/kennisbank/{escape(item.slug)}">'
        f'<span class="knowledge-card-kind">{escape(kind_label(item.kind))}</span> '
        f'<span class="knowledge-card-title">{escape(item.title)}</span></a>'
    )


def slug_from_url(url: str) -> str | None:
    """The slug of a link to an item on this site (a path or an absolute URL)."""
    match = _PATH.fullmatch(url.strip())
    if match is None:
        return None
    base = current_app.config.get("BASE_URL", "") if has_app_context() else ""
    if url.startswith("/") or (base and url.startswith(base + "/")):
        return match.group(1)
    return None


def linked_slugs(source: str) -> set[str]:
    """Slugs referred to in Markdown source: `[[kennisbank:slug]]` tokens and site links."""
    slugs = set(_TOKEN.findall(source or ""))
    for match in _PATH.finditer(source or ""):
        slug = slug_from_url(match.group(0))
        if slug:
            slugs.add(slug)
    return slugs


def record_references(source_type: str, source_id: int, source: str, *, new: bool = False) -> None:
    """Make the item ← post/event references match what the text links to now (a `new`
    source has none yet: nothing to read or remove)."""
    item_ids = set()
    for slug in linked_slugs(source):
        item = find_item(slug)
        if item is not None:
            item_ids.add(item.id)
    if new and not item_ids:
        return
    existing = (
        set()
        if new
        else set(
            db.session.scalars(
                select(KnowledgeReference.item_id).where(
                    KnowledgeReference.source_type == source_type,
                    KnowledgeReference.source_id == source_id,
                )
            )
        )
    )
    gone = existing - item_ids
    if gone:
        db.session.execute(
            delete(KnowledgeReference).where(
                KnowledgeReference.source_type == source_type,
                KnowledgeReference.source_id == source_id,
                KnowledgeReference.item_id.in_(gone),
            )
        )
    for item_id in item_ids - existing:
        db.session.add(
            KnowledgeReference(item_id=item_id, source_type=source_type, source_id=source_id)
        )
    db.session.flush()


# --- signal receivers ---------------------------------------------------------------


def _on_post(sender=None, *, post, **kwargs) -> None:
    record_references("post", post.id, post.body_source)


def _on_post_created(sender=None, *, post, **kwargs) -> None:
    record_references("post", post.id, post.body_source, new=True)


def _on_thread_created(sender=None, *, thread, post, **kwargs) -> None:
    record_references("post", post.id, post.body_source, new=True)


def _on_event_changed(sender=None, *, event, action="", **kwargs) -> None:
    record_references("event", event.id, event.description_source)


def init_app(app) -> None:
    """Register the card renderer and connect the receivers (idempotent)."""
    register_inline_card(PREFIX, render_card, match_link=slug_from_url)
    signals.thread_created.connect(_on_thread_created)
    signals.post_created.connect(_on_post_created)
    signals.post_edited.connect(_on_post)
    signals.event_changed.connect(_on_event_changed)
