"""Kennisbank fixtures: editors (`make_knowledge_item` is in tests/conftest.py)."""

from __future__ import annotations

import pytest

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
