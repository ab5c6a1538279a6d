"""Factories for notification tests: groups, memberships, threads and posts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db

_n = itertools.count(1)


@pytest.fixture
def make_group(app):
    from groups.models import Group, Membership

    def factory(visibility="members", members=(), region_id=None, name=None):
        n = next(_n)
        group = Group(
            slug=f"groep-{n}", name=name or f"Groep {n}", visibility=visibility, region_id=region_id
        )
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

    def factory(group, author, title=None, kind="discussion", body="Openingsbericht", ago=None):
        when = utcnow() - (ago or timedelta(hours=1))
        thread = Thread(
            group_id=group.id,
            author_id=author.id if author else None,
            title=title or f"Gesprek {next(_n)}",
            kind=kind,
            created_at=when,
            last_activity_at=when,
        )
        db.session.add(thread)
        db.session.flush()
        post = Post(
            thread_id=thread.id,
            author_id=author.id if author else None,
            depth=0,
            body_source=body,
            body_html=f"<p>{body}</p>",
            created_at=when,
        )
        db.session.add(post)
        db.session.flush()
        thread.first_post_id = post.id
        db.session.commit()
        return thread

    return factory


@pytest.fixture
def make_post(app):
    from forum.models import Post, Thread

    def factory(thread, author, body="Een reactie", parent=None, ago=None, **fields):
        when = utcnow() - (ago or timedelta(minutes=30))
        post = Post(
            thread_id=thread.id,
            author_id=author.id if author else None,
            parent_id=parent.id if parent else None,
            depth=2 if parent else 1,
            body_source=body,
            body_html=f"<p>{body}</p>",
            created_at=when,
            **fields,
        )
        db.session.add(post)
        t = db.session.get(Thread, thread.id)
        t.reply_count += 1
        t.last_activity_at = max(t.last_activity_at, when)
        db.session.commit()
        return post

    return factory


def sector_ids(count: int) -> list[int]:
    from sqlalchemy import select

    from core.taxonomy import Sector

    return list(db.session.scalars(select(Sector.id).order_by(Sector.position).limit(count)))
