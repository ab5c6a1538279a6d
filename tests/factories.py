"""The test factories of the whole suite, defined once (tests/test_architecture.py checks).

Plain functions, so browser tests on the live server's SQLite app can use them as well
as the tests that run on both databases; tests/conftest.py offers them as fixtures of
the same name. Groups, memberships, threads and replies are written straight into the
models, so tests do not depend on the forum's posting rules (privacy guard, rate
limits); what the forum's own services do is tested with `post_thread`/`post_reply`
(tests/forum/conftest.py). Rows written here are put in the search index the way the
search feature's signal receivers do it. Events go through `events.services`.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region
from core.text import render_markdown
from groups.models import Group, Membership
from groups.services import recount_members

_counter = itertools.count(1)

OPENING_BODY = "Openingsbericht: wat zien jullie in de praktijk?"
REPLY_BODY = "Herkenbaar."


def make_group(
    name: str | None = None,
    *,
    visibility: str = "members",
    kind: str = "thematic",
    slug: str | None = None,
    description: str = "Een groep om van elkaar te leren.",
    region: str | None = None,
    region_id: int | None = None,
    members=(),
    coordinator=None,
    commit: bool = True,
) -> Group:
    """A group; `members` join as active members, `coordinator` as its coordinator."""
    n = next(_counter)
    if region:
        region_id = db.session.scalar(select(Region.id).where(Region.key == region))
    group = Group(
        slug=slug or f"groep-{n}",
        name=name or f"Groep {n}",
        description=description,
        kind=kind,
        visibility=visibility,
        region_id=region_id,
    )
    db.session.add(group)
    db.session.flush()
    if coordinator is not None:
        join(group, coordinator, role="coordinator", commit=False)
    for member in members:
        join(group, member, commit=False)
    if commit:
        db.session.commit()
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


def _index_threads(*thread_ids: int) -> None:
    from search.index import index_threads

    index_threads(db.session.connection(), thread_ids)


def _index_posts(*post_ids: int) -> None:
    from search.index import index_posts

    index_posts(db.session.connection(), post_ids)


def make_thread(
    group: Group,
    author,
    title: str | None = None,
    body: str = OPENING_BODY,
    *,
    kind: str = "discussion",
    tags=(),
    replies: int = 0,
    repliers=(),
    is_pinned: bool = False,
    hidden: bool = False,
    deleted: bool = False,
    answered: bool = False,
    ago: timedelta = timedelta(hours=1),
    commit: bool = True,
):
    """A thread with an opening post and `replies` replies (by `repliers` in turn)."""
    from forum.models import Post, Thread

    n = next(_counter)
    started = utcnow() - ago
    author_id = author.id if author else None
    thread = Thread(
        group_id=group.id,
        author_id=author_id,
        title=title or f"Gesprek {n} over signalen",
        kind=kind,
        is_pinned=is_pinned,
        created_at=started,
        last_activity_at=started,
        hidden_at=utcnow() if hidden else None,
        deleted_at=utcnow() if deleted else None,
        tags=list(tags),
    )
    db.session.add(thread)
    db.session.flush()
    opening = Post(
        thread_id=thread.id,
        author_id=author_id,
        depth=0,
        body_source=body,
        body_html=str(render_markdown(body)),
        created_at=started,
    )
    people = list(repliers) or [author]
    replies_added = [
        Post(
            thread_id=thread.id,
            author_id=people[i % len(people)].id if people[i % len(people)] else None,
            depth=1,
            body_source=REPLY_BODY,
            body_html=str(render_markdown(REPLY_BODY)),
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
    db.session.flush()
    _index_threads(thread.id)
    _index_posts(*(post.id for post in replies_added))
    if commit:
        db.session.commit()
    return thread


def make_reply(
    thread, author, body: str = "Een reactie.", *, parent=None,
    ago: timedelta = timedelta(minutes=30), **fields,
):  # fmt: skip
    """A reply to the thread (or to `parent`), counted on the thread."""
    from forum.models import Post, Thread

    when = utcnow() - ago
    post = Post(
        thread_id=thread.id,
        author_id=author.id if author else None,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 1,
        body_source=body,
        body_html=str(render_markdown(body)),
        created_at=when,
        **fields,
    )
    db.session.add(post)
    db.session.flush()
    row = db.session.get(Thread, thread.id)
    row.reply_count += 1
    row.last_activity_at = max(row.last_activity_at or when, when)
    row.last_post_id = post.id
    db.session.flush()
    _index_posts(post.id)
    db.session.commit()
    return post


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


def make_event(
    group,
    title: str = "Netwerkbijeenkomst",
    description: str = "",
    *,
    starts_in: timedelta = timedelta(days=7),
    hours: int = 2,
    location: str = "Stadhuisplein 1, Utrecht",
    online_url: str = "https://meet.example.org/jep",
    **fields,
):
    """A scheduled event, created through `events.services.create_event`."""
    from events.services import EventData, create_event

    start = utcnow().replace(microsecond=0) + starts_in
    data = EventData(
        title=title,
        description=description,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        location=location,
        online_url=online_url,
        **fields,
    )
    event = create_event(group, data, actor=None)
    db.session.commit()
    return event


def post_thread(group, author, *, title="Een vraag over signalen", body="Wat zien jullie?",
                kind="discussion", **kwargs):  # fmt: skip
    """A thread posted through forum.services, signals and all (index, notifications)."""
    from forum import services

    thread = services.create_thread(group, author, title=title, body=body, kind=kind, **kwargs)
    db.session.commit()
    return thread


def post_reply(thread, author, *, body="Herkenbaar. Bij ons werkt een gesprek met de mentor.",
               parent=None, **kwargs):  # fmt: skip
    """A reply posted through forum.services, signals and all."""
    from forum import services

    post = services.create_reply(thread, author, body=body, parent=parent, **kwargs)
    db.session.commit()
    return post


def make_knowledge_item(author, *, status="draft", reviewer=None, **fields):
    """A kennisbank item written by `author` (an editor), moved on to `status`; a second
    editor (`reviewer`) publishes."""
    from knowledge import services

    values = {"title": "Signalen van radicalisering herkennen", "kind": "handreiking"}
    values.update(fields)
    item = services.create_item(author, services.ItemData(**values))
    if status in {"review", "published", "archived"}:
        services.submit_item(item, author)
    if status in {"published", "archived"}:
        services.publish_item(item, reviewer)
    if status == "archived":
        services.archive_item(item, reviewer)
    db.session.commit()
    return item
