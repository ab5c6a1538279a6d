"""Thread listings with the viewer's read state: a group's threads, unread counts.

Listing pages run a fixed number of queries whatever the number of threads: authors
and groups are eager-loaded explicitly and read state comes from one outer join, never
from a query per row. (Moved here from groups/queries.py: read state is the forum's.)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from core.extensions import db
from forum.models import Post, Thread, ThreadRead
from groups.models import Group

THREADS_PER_PAGE = 20


def visible_threads():
    return and_(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))


def read_join(user_id: int):
    """The viewer's ThreadRead row, outer-joined onto Thread."""
    return and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user_id)


def unread_condition():
    """True when the viewer never opened the thread or something was posted after the
    last post they read (or, without a post id, after the time they last read it)."""
    return or_(
        ThreadRead.id.is_(None),
        and_(
            ThreadRead.last_read_post_id.is_not(None),
            Thread.last_post_id > ThreadRead.last_read_post_id,
        ),
        and_(
            ThreadRead.last_read_post_id.is_(None),
            Thread.last_activity_at > ThreadRead.last_read_at,
        ),
    )


def is_unread(thread, read) -> bool:
    """The Python twin of `_unread_condition` for a row already loaded."""
    if read is None:
        return True
    if read.last_read_post_id is not None:
        return thread.last_post_id is not None and thread.last_post_id > read.last_read_post_id
    return thread.last_activity_at > read.last_read_at


@dataclass(frozen=True)
class ThreadRow:
    """A thread in a listing, with the viewer's read state."""

    thread: Any
    is_unread: bool
    is_new: bool  # never opened by the viewer
    new_replies: int = 0  # posts since the viewer's last visit (threads opened before)


def listing(user) -> Select:
    """Select (Thread, the viewer's ThreadRead, posts since that read) in one statement:
    the count is a correlated subquery, so read state costs no query per row."""
    new_replies = (
        select(func.count(Post.id))
        .where(
            Post.thread_id == Thread.id,
            Post.id > ThreadRead.last_read_post_id,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
        )
        .correlate(Thread, ThreadRead)
        .scalar_subquery()
    )
    return (
        select(Thread, ThreadRead, new_replies)
        .outerjoin(ThreadRead, read_join(user.id))
        .where(visible_threads())
    )


def thread_rows(stmt: Select) -> list[ThreadRow]:
    return [
        ThreadRow(
            thread=thread,
            is_unread=is_unread(thread, read),
            is_new=read is None,
            new_replies=(new_replies or 0) if read is not None else 0,
        )
        for thread, read, new_replies in db.session.execute(stmt).all()
    ]


def unread_threads_per_group(user, group_ids: Select) -> dict[int, int]:
    """Threads with something unread for `user`, per group, in one grouped query."""
    stmt = (
        select(Thread.group_id, func.count(Thread.id))
        .outerjoin(ThreadRead, read_join(user.id))
        .where(Thread.group_id.in_(group_ids), visible_threads(), unread_condition())
        .group_by(Thread.group_id)
    )
    return dict(db.session.execute(stmt).all())


def thread_counts(group_ids: Select) -> dict[int, int]:
    """Visible threads per group, in one grouped query."""
    stmt = (
        select(Thread.group_id, func.count(Thread.id))
        .where(Thread.group_id.in_(group_ids), visible_threads())
        .group_by(Thread.group_id)
    )
    return dict(db.session.execute(stmt).all())


# --- a group's threads --------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def group_threads(user, group: Group, page: int = 1, per_page: int = THREADS_PER_PAGE) -> Page:
    """A page of the group's visible threads: pinned first, then by last activity, with
    authors (and their sectors), tags and the viewer's read state in three queries."""
    total = (
        db.session.scalar(
            select(func.count(Thread.id)).where(Thread.group_id == group.id, visible_threads())
        )
        or 0
    )
    page = max(1, min(page, max(1, ceil(total / per_page))))
    stmt = (
        listing(user)
        .where(Thread.group_id == group.id)
        .options(joinedload(Thread.author), selectinload(Thread.tags))
        .order_by(Thread.is_pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(items=thread_rows(stmt), page=page, per_page=per_page, total=total)
