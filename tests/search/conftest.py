"""Factories for search tests: groups, threads, replies and events made directly."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown

_n = itertools.count(1)


@pytest.fixture
def make_group(app):
    from groups.models import Group, Membership

    def factory(visibility: str = "members", members=(), name: str | None = None):
        n = next(_n)
        group = Group(slug=f"groep-{n}", name=name or f"Groep {n}", visibility=visibility)
        db.session.add(group)
        db.session.flush()
        for user in members:
            db.session.add(Membership(group_id=group.id, user_id=user.id, status="active"))
        db.session.commit()
        return group

    return factory


@pytest.fixture
def make_thread(app):
    from forum.models import Post, Thread

    def factory(group, author, title: str, body: str = "", kind: str = "discussion", tags=(),
                age_days: int = 0):  # fmt: skip
        created = utcnow() - timedelta(days=age_days)
        thread = Thread(group_id=group.id, author_id=author.id if author else None, title=title,
                        kind=kind, created_at=created, tags=list(tags))  # fmt: skip
        db.session.add(thread)
        db.session.flush()
        post = Post(thread_id=thread.id, author_id=author.id if author else None, depth=0,
                    body_source=body, body_html=str(render_markdown(body)), created_at=created)  # fmt: skip
        db.session.add(post)
        db.session.flush()
        thread.first_post_id = post.id
        db.session.commit()
        return thread

    return factory


@pytest.fixture
def make_reply(app):
    from forum.models import Post

    def factory(thread, author, body: str, age_days: int = 0):
        post = Post(thread_id=thread.id, author_id=author.id if author else None, depth=1,
                    body_source=body, body_html=str(render_markdown(body)),
                    created_at=utcnow() - timedelta(days=age_days))  # fmt: skip
        db.session.add(post)
        db.session.commit()
        return post

    return factory


@pytest.fixture
def make_event(app):
    from events.models import Event

    def factory(group, title: str, description: str = "", location: str = "", **fields):
        start = utcnow() + timedelta(days=7)
        event = Event(group_id=group.id, title=title, description_source=description,
                      description_html=str(render_markdown(description)), location=location,
                      starts_at=start, ends_at=start + timedelta(hours=2), **fields)  # fmt: skip
        db.session.add(event)
        db.session.commit()
        return event

    return factory


@pytest.fixture
def find(app):
    """Titles (or reply ids) `user` finds for a query: `find(user, "jongere", kind=...)`."""
    from search.queries import SearchFilters, search

    def do_find(user, query: str, page: int = 1, **filters):
        result = search(user, query, SearchFilters(**filters), page)
        return [r.title if r.kind != "post" else f"post:{r.object_id}" for r in result.results]

    return do_find
