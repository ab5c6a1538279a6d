"""Kennisbank fixtures: editors and a factory for items in any status."""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.forum.conftest import signed_in_client  # noqa: F401 - re-exported


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


@pytest.fixture
def editors(make_user):
    """Two kennisredacteuren and an admin: `(anna, bram, admin)`."""
    return (
        make_user("Anna Redactie", role="editor"),
        make_user("Bram Redactie", role="editor"),
        make_user("Beheer", role="admin"),
    )


def create_knowledge_item(author, *, status="draft", reviewer=None, **fields):
    """An item written by `author`, moved on to `status` (a second editor publishes)."""
    from knowledge import services

    values = {"title": "Signalen van radicalisering herkennen", "kind": "handreiking"}
    values.update(fields)
    item = services.create_item(author, services.ItemData(**values))
    if status in {"review", "published", "archived"}:
        services.submit_item(item, author)
    if status in {"published", "archived"}:
        services.publish_item(item, reviewer)
    if status == "archived":
        services.archive_item(item, reviewer)
    db.session.commit()
    return item


@pytest.fixture
def make_knowledge_item(app):
    return create_knowledge_item
