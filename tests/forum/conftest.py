"""Forum fixtures: posting intervals off (tests post quickly), and threads and replies
posted through the forum's own services (the shared factories write rows directly)."""

from __future__ import annotations

import pytest

from core.extensions import db


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


@pytest.fixture
def post_thread(app):
    """`post_thread(group, author, title=…, body=…, kind=…)` through forum.services."""
    from forum import services

    def factory(group, author, *, title="Een vraag over signalen", body="Wat zien jullie?",
                kind="discussion", **kwargs):  # fmt: skip
        thread = services.create_thread(group, author, title=title, body=body, kind=kind, **kwargs)
        db.session.commit()
        return thread

    return factory


@pytest.fixture
def post_reply(app):
    """`post_reply(thread, author, body=…, parent=…)` through forum.services."""
    from forum import services

    def factory(thread, author, *, body="Herkenbaar. Bij ons werkt een gesprek met de mentor.",
                parent=None, **kwargs):  # fmt: skip
        post = services.create_reply(thread, author, body=body, parent=parent, **kwargs)
        db.session.commit()
        return post

    return factory


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
