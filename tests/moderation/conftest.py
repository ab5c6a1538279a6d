"""Fixtures for moderation tests: a signed-in site moderator."""

from __future__ import annotations

import pytest


@pytest.fixture
def moderator_client(app, make_user, login):
    """A logged-in site moderator with 2FA: `(client, user)`."""
    user = make_user(role="moderator", with_2fa=True)
    client = app.test_client()
    login(client, user)
    return client, user
