"""Browser tests run against one live app on SQLite; factories write to that same app."""

import pytest


@pytest.fixture
def app(sqlite_app):
    return sqlite_app
