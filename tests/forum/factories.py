"""Plain factory functions for groups, memberships, threads and replies.

Functions (not fixtures) so browser tests on the live server's SQLite app can use them
as well as the tests parametrised over both databases.
"""

from __future__ import annotations

import itertools

from sqlalchemy import select

from core.extensions import db
from core.taxonomy import Region
from groups.models import Group, Membership

_counter = itertools.count(1)


def create_group(
    name: str | None = None,
    *,
    visibility: str = "members",
    kind: str = "thematic",
    region: str | None = None,
) -> Group:
    n = next(_counter)
    region_id = None
    if region:
        region_id = db.session.scalar(select(Region.id).where(Region.key == region))
    group = Group(
        slug=f"groep-{n}",
        name=name or f"Groep {n}",
        kind=kind,
        visibility=visibility,
        region_id=region_id,
    )
    db.session.add(group)
    db.session.commit()
    return group


def add_member(group: Group, user, *, role: str = "member", status: str = "active") -> Membership:
    membership = Membership(group_id=group.id, user_id=user.id, role=role, status=status)
    db.session.add(membership)
    db.session.commit()
    return membership


def create_thread(
    group,
    author,
    *,
    title="Een vraag over signalen",
    body="Wat zien jullie?",
    kind="discussion",
    **kwargs,
):
    from forum import services

    thread = services.create_thread(group, author, title=title, body=body, kind=kind, **kwargs)
    db.session.commit()
    return thread


def create_reply(
    thread,
    author,
    *,
    body="Herkenbaar. Bij ons werkt een gesprek met de mentor.",
    parent=None,
    **kwargs,
):
    from forum import services

    post = services.create_reply(thread, author, body=body, parent=parent, **kwargs)
    db.session.commit()
    return post
