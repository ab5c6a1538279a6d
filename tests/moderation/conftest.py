"""Factories for moderation tests: groups, memberships, threads and posts made directly
with the models, so these tests do not depend on the forum's own services."""

from __future__ import annotations

import itertools

import pytest

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown

_numbers = itertools.count(1)


@pytest.fixture
def make_group(app):
    from groups.models import Group

    def factory(name: str | None = None, *, visibility: str = "members"):
        n = next(_numbers)
        group = Group(slug=f"groep-{n}", name=name or f"Groep {n}", visibility=visibility)
        db.session.add(group)
        db.session.commit()
        return group

    return factory


@pytest.fixture
def add_member(app):
    from groups.models import Membership

    def factory(group, user, role: str = "member"):
        membership = Membership(group_id=group.id, user_id=user.id, role=role, status="active")
        db.session.add(membership)
        group.member_count += 1
        db.session.commit()
        return membership

    return factory


@pytest.fixture
def make_thread(app):
    """`make_thread(group, author, title=..., body=...)` -> the Thread (first_post set)."""
    from forum.models import Post, Thread

    def factory(group, author, *, title: str | None = None, body: str = "Een opening."):
        n = next(_numbers)
        now = utcnow()
        thread = Thread(group_id=group.id, author_id=author.id, title=title or f"Gesprek {n}",
                        created_at=now, last_activity_at=now)  # fmt: skip
        db.session.add(thread)
        db.session.flush()
        post = Post(thread_id=thread.id, author_id=author.id, depth=0, body_source=body,
                    body_html=str(render_markdown(body)), created_at=now)  # fmt: skip
        db.session.add(post)
        db.session.flush()
        thread.first_post_id = post.id
        thread.last_post_id = post.id
        db.session.commit()
        return thread

    return factory


@pytest.fixture
def make_reply(app):
    from forum.models import Post

    def factory(thread, author, body: str = "Een reactie."):
        post = Post(thread_id=thread.id, author_id=author.id, depth=1, body_source=body,
                    body_html=str(render_markdown(body)), created_at=utcnow())  # fmt: skip
        db.session.add(post)
        thread.reply_count += 1
        thread.last_post_id = None
        db.session.commit()
        return post

    return factory


@pytest.fixture
def moderator_client(app, make_user, login):
    """A logged-in site moderator with 2FA: `(client, user)`."""
    user = make_user(role="moderator", with_2fa=True)
    client = app.test_client()
    login(client, user)
    return client, user
