"""Forum fixtures: posting intervals off (tests post quickly), and threads and replies
posted through the forum's own services (the shared factories write rows directly)."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


@pytest.fixture(name="post_thread")
def _post_thread(app):
    """`post_thread(group, author, title=…, body=…, kind=…)` through forum.services."""
    return factories.post_thread


@pytest.fixture(name="post_reply")
def _post_reply(app):
    """`post_reply(thread, author, body=…, parent=…)` through forum.services."""
    return factories.post_reply


def signed_in_client(app, user):
    """A test client with `user` in its session, as Flask-Login puts it there after the
    login form (which the auth tests cover). Skips Argon2, which costs ~1 s a login."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


class LazyClients(dict):
    """Clients per person, created (and signed in) on first use."""

    def __init__(self, app, people):
        super().__init__()
        self.app, self.people = app, people

    def __missing__(self, key):
        client = self[key] = signed_in_client(self.app, self.people[key])
        return client
