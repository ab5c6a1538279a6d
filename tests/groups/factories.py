"""Plain factory functions for groups, memberships and threads.

Functions, not fixtures, so the browser journey (on the live server's SQLite app) can use
them as well as the tests that run on both databases. Threads are written straight into
`forum.models`, the way `groups.demo` does, so these tests do not depend on the forum's
posting rules (privacy guard, rate limits).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown
from groups.models import Group, Membership
from groups.services import recount_members

_counter = itertools.count(1)


def make_group(
    name: str | None = None,
    *,
    visibility: str = "members",
    kind: str = "thematic",
    slug: str | None = None,
    description: str = "Een groep om van elkaar te leren.",
    commit: bool = True,
) -> Group:
    n = next(_counter)
    group = Group(
        slug=slug or f"testgroep-{n}",
        name=name or f"Testgroep {n}",
        description=description,
        kind=kind,
        visibility=visibility,
    )
    db.session.add(group)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return group


def join(
    group: Group, user, *, role: str = "member", status: str = "active", commit: bool = True
) -> Membership:
    membership = Membership(group_id=group.id, user_id=user.id, role=role, status=status)
    db.session.add(membership)
    db.session.flush()
    recount_members(group)
    if commit:
        db.session.commit()
    return membership


def make_thread(
    group: Group,
    author,
    *,
    title: str | None = None,
    kind: str = "discussion",
    replies: int = 0,
    repliers=(),
    is_pinned: bool = False,
    hidden: bool = False,
    deleted: bool = False,
    answered: bool = False,
    minutes_ago: int = 60,
    commit: bool = True,
):
    """A thread with an opening post and `replies` replies (by `repliers` in turn)."""
    from forum.models import Post, Thread

    n = next(_counter)
    started = utcnow() - timedelta(minutes=minutes_ago)
    thread = Thread(
        group_id=group.id,
        author_id=author.id,
        title=title or f"Gesprek {n} over signalen",
        kind=kind,
        is_pinned=is_pinned,
        created_at=started,
        last_activity_at=started,
        hidden_at=utcnow() if hidden else None,
        deleted_at=utcnow() if deleted else None,
    )
    db.session.add(thread)
    db.session.flush()
    body = "Wat zien jullie in de praktijk?"
    opening = Post(
        thread_id=thread.id,
        author_id=author.id,
        depth=0,
        body_source=body,
        body_html=render_markdown(body),
        created_at=started,
    )
    people = list(repliers) or [author]
    replies_added = [
        Post(
            thread_id=thread.id,
            author_id=people[i % len(people)].id,
            depth=1,
            body_source="Herkenbaar.",
            body_html=render_markdown("Herkenbaar."),
            created_at=started + timedelta(seconds=i + 1),
        )
        for i in range(replies)
    ]
    # One flush for all posts (ids come in insertion order): flushes are what cost here.
    db.session.add_all([opening, *replies_added])
    db.session.flush()
    last = replies_added[-1] if replies_added else opening
    thread.first_post_id = opening.id
    thread.last_post_id = last.id
    thread.last_activity_at = last.created_at
    thread.reply_count = len(replies_added)
    if answered and replies_added:
        thread.accepted_post_id = replies_added[0].id
    if commit:
        db.session.commit()
    return thread


def mark_read(thread, user, *, up_to_post_id: int | None = None, commit: bool = True) -> None:
    """Record that `user` read `thread` up to a post (its last one by default)."""
    from forum.models import ThreadRead

    db.session.add(
        ThreadRead(
            thread_id=thread.id,
            user_id=user.id,
            last_read_at=utcnow(),
            last_read_post_id=up_to_post_id or thread.last_post_id,
        )
    )
    if commit:
        db.session.commit()
