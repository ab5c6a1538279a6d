"""Fixtures for search tests: `find` (the factories are in tests/factories.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def find(app):
    """Titles (or reply ids) `user` finds for a query: `find(user, "jongere", kind=...)`."""
    from search.queries import SearchFilters, search

    def do_find(user, query: str, page: int = 1, **filters):
        result = search(user, query, SearchFilters(**filters), page)
        return [r.title if r.kind != "post" else f"post:{r.object_id}" for r in result.results]

    return do_find
