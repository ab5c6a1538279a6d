"""Fixtures for the groups tests: a logged-in client per member."""

from __future__ import annotations

import pytest


@pytest.fixture
def client_for(app, login):
    """`client_for(user)`: a test client logged in as that member."""

    def factory(user):
        client = app.test_client()
        login(client, user)
        return client

    return factory
