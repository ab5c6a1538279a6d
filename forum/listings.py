"""Thread listings with the viewer's read state: a group's threads, the dashboard's lists,
unread counts.

Listing pages run a fixed number of queries whatever the number of threads. A listing is
chosen in a narrow statement over the thread indexes (ids only, ordered and limited); the
chosen threads come back in the same statement as plain rows with what a list shows of
their authors and groups and the viewer's read state: PostgreSQL plans a small join for
at most a page of rows, and Python builds no ORM objects for them. The statements are
built once per process (`functools.cache`) with bound parameters for what varies, since
building them costs more than running them. (Moved here from groups/queries.py: read
state is the forum's.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from math import ceil

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
)

from auth.models import User
from core.db import id_list, parse_ids
from core.extensions import db
from core.i18n import current_language
from core.taxonomy import Sector, Tag, term_labels
from forum.models import Post, Thread, ThreadRead, thread_tags
from groups.models import Group

THREADS_PER_PAGE = 20


def visible_threads():
    return and_(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))


def read_join(user_id):
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


def read_up_to_date_condition():
    """For a thread joined to the viewer's ThreadRead row: nothing new since they read it.
    The exact complement of `unread_condition` (and of `is_unread`) for such a row."""
    return or_(
        and_(
            ThreadRead.last_read_post_id.is_not(None),
            or_(Thread.last_post_id.is_(None), Thread.last_post_id <= ThreadRead.last_read_post_id),
        ),
        and_(
            ThreadRead.last_read_post_id.is_(None),
            Thread.last_activity_at <= ThreadRead.last_read_at,
        ),
    )


def is_unread(thread, read) -> bool:
    """The Python twin of `unread_condition` for a row already loaded (`thread` needs
    `last_post_id` and `last_activity_at`, `read` is the ThreadRead or None)."""
    if read is None:
        return True
    if read.last_read_post_id is not None:
        return thread.last_post_id is not None and thread.last_post_id > read.last_read_post_id
    return thread.last_activity_at > read.last_read_at


@dataclass(frozen=True, slots=True)
class ListedThread:
    """What a list shows of a thread, its author and its group (labels in the viewer's
    language). `author_name` is None for a former member or a deleted account."""

    id: int
    title: str
    kind: str
    is_pinned: bool
    is_locked: bool
    is_answered: bool
    reply_count: int
    created_at: datetime
    last_activity_at: datetime
    author_id: int | None
    author_name: str | None
    author_sector: str | None
    group_slug: str
    group_label: str
    tags: tuple[str, ...] = ()

    @property
    def is_question(self) -> bool:
        return self.kind == "question"


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A thread in a listing, with the viewer's read state."""

    thread: ListedThread
    is_unread: bool
    is_new: bool  # never opened by the viewer
    new_replies: int = 0  # posts since the viewer's last visit (threads opened before)


def _new_replies():
    """Posts since the viewer's last read post: a correlated subquery, so read state
    costs no query per row (it runs only for the chosen rows)."""
    return (
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


def _tag_ids():
    """The thread's tag ids as one `id_list` string (a correlated subquery over the link
    table alone; NULL without tags). Their names come from the taxonomy copy."""
    return (
        select(id_list(thread_tags.c.tag_id))
        .where(thread_tags.c.thread_id == Thread.id)
        .correlate(Thread)
        .scalar_subquery()
    )


def _tag_labels(ids: str | None, english: bool) -> tuple[str, ...]:
    """The labels (as `Tag.label` gives them) of the tags `_tag_ids` found, in the tags'
    order, from `core.taxonomy.term_labels`."""
    if not ids:
        return ()
    labels = term_labels(Tag)
    tags = sorted((labels[i] for i in parse_ids(ids) if i in labels), key=lambda t: t.position)
    return tuple(tag.name_en if english else tag.name_nl for tag in tags)


def rows_statement(
    choices: Sequence[Select], extra: ColumnElement | None = None, *, with_tags: bool = False
) -> Select:
    """One statement loading the threads chosen by `choices` (each a Select of `Thread.id`,
    filtered, ordered and limited) for the viewer bound as `viewer_id`, with the number
    of the choice on each row, their tags when `with_tags`, and `extra` (an uncorrelated
    scalar) alongside. Build it once and run it with `fetch_rows`."""
    branches = []
    for number, choice in enumerate(choices):
        chosen = choice.subquery()
        branches.append(select(chosen.c.id, literal(number).label("choice")).select_from(chosen))
    chosen = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("chosen")
    columns = [
        chosen.c.choice,
        Thread.id,
        Thread.title,
        Thread.kind,
        Thread.is_pinned,
        Thread.is_locked,
        Thread.accepted_post_id,
        Thread.reply_count,
        Thread.created_at,
        Thread.last_activity_at,
        Thread.last_post_id,
        Thread.author_id,
        User.display_name,
        User.status,
        Sector.name_nl,
        Sector.name_en,
        Group.slug,
        Group.name,
        Group.name_en,
        ThreadRead.id,
        ThreadRead.last_read_post_id,
        ThreadRead.last_read_at,
        _new_replies(),
        _tag_ids() if with_tags else literal(None),
        extra if extra is not None else literal(None),
    ]
    return (
        select(*columns)
        .select_from(Thread)
        .join(chosen, chosen.c.id == Thread.id)
        .join(Group, Group.id == Thread.group_id)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(Sector, Sector.id == User.sector_id)
        .outerjoin(ThreadRead, read_join(bindparam("viewer_id")))
    )


@dataclass(frozen=True, slots=True)
class _Read:  # what `is_unread` needs of a ThreadRead row
    last_read_post_id: int | None
    last_read_at: datetime


@dataclass(frozen=True, slots=True)
class _State:  # what `is_unread` needs of a thread
    last_post_id: int | None
    last_activity_at: datetime


def fetch_rows(
    stmt: Select, params: dict, sort_keys: Sequence[Callable[[ListedThread], tuple]]
) -> tuple[list[list[ThreadRow]], object]:
    """Run a `rows_statement` (`params` must bind `viewer_id`): one list of ThreadRows per
    choice, each sorted by its key, descending as the choices order, and the `extra`
    value (None when nothing was chosen)."""
    english = current_language() == "en"
    result = db.session.execute(stmt, params).all()
    lists: list[list[ThreadRow]] = [[] for _ in sort_keys]
    for (
        choice,
        thread_id,
        title,
        kind,
        is_pinned,
        is_locked,
        accepted_post_id,
        reply_count,
        created_at,
        last_activity_at,
        last_post_id,
        author_id,
        author_name,
        author_status,
        sector_nl,
        sector_en,
        group_slug,
        group_name,
        group_name_en,
        read_id,
        last_read_post_id,
        last_read_at,
        new_replies,
        tag_ids,
        _extra,
    ) in result:
        # Labels as `Group.label` and `Sector.label` give them, without an ORM object.
        thread = ListedThread(
            id=thread_id,
            title=title,
            kind=kind,
            is_pinned=is_pinned,
            is_locked=is_locked,
            is_answered=accepted_post_id is not None,
            reply_count=reply_count,
            created_at=created_at,
            last_activity_at=last_activity_at,
            author_id=author_id,
            author_name=None if author_id is None or author_status == "deleted" else author_name,
            author_sector=(sector_en if english else sector_nl) if sector_nl is not None else None,
            group_slug=group_slug,
            group_label=group_name_en if english and group_name_en else group_name,
            tags=_tag_labels(tag_ids, english),
        )
        read = None if read_id is None else _Read(last_read_post_id, last_read_at)
        state = _State(last_post_id, last_activity_at)
        lists[choice].append(
            ThreadRow(
                thread=thread,
                is_unread=is_unread(state, read),
                is_new=read is None,
                new_replies=(new_replies or 0) if read is not None else 0,
            )
        )
    for rows, key in zip(lists, sort_keys, strict=True):
        rows.sort(key=lambda row, key=key: key(row.thread), reverse=True)
    return lists, (result[0][-1] if result else None)


def by_last_activity(thread: ListedThread) -> tuple:
    return (thread.last_activity_at, thread.id)


def by_creation(thread: ListedThread) -> tuple:
    return (thread.created_at, thread.id)


def unread_threads_per_group(user, group_ids: Select) -> dict[int, int]:
    """Threads with something unread for `user`, per group, in one grouped query."""
    stmt = (
        select(Thread.group_id, func.count(Thread.id))
        .outerjoin(ThreadRead, read_join(user.id))
        .where(Thread.group_id.in_(group_ids), visible_threads(), unread_condition())
        .group_by(Thread.group_id)
    )
    return dict(db.session.execute(stmt).all())


def visible_thread_count(group_id) -> ColumnElement:
    """A scalar subquery: the visible threads of a group (`group_id` may be a column to
    correlate to). Counted on the partial index of visible threads."""
    return (
        select(func.count(Thread.id))
        .where(Thread.group_id == group_id, visible_threads())
        .scalar_subquery()
    )


def up_to_date_thread_count(user_id, group_id) -> ColumnElement:
    """A scalar subquery: the visible threads of a group the user read up to their last
    post. Unread threads are the visible ones minus these, which PostgreSQL counts from
    the indexes instead of joining every thread of the group to the member's read rows."""
    return (
        select(func.count(ThreadRead.id))
        .join(Thread, Thread.id == ThreadRead.thread_id)
        .where(
            ThreadRead.user_id == user_id,
            Thread.group_id == group_id,
            visible_threads(),
            read_up_to_date_condition(),
        )
        .scalar_subquery()
    )


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


def _pinned_then_active(thread: ListedThread) -> tuple:
    return (thread.is_pinned, thread.last_activity_at, thread.id)


@cache
def _group_page_statement() -> Select:
    choice = (
        select(Thread.id)
        .where(Thread.group_id == bindparam("group_id"), visible_threads())
        .order_by(Thread.is_pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return rows_statement(
        [choice], extra=visible_thread_count(bindparam("group_id")), with_tags=True
    )


def group_threads(user, group: Group, page: int = 1, per_page: int = THREADS_PER_PAGE) -> Page:
    """A page of the group's visible threads: pinned first, then by last activity, with
    authors (and their sectors), tags, the viewer's read state and the number of threads
    in one query (three for a page past the last one)."""

    def load(page: int) -> tuple[list[ThreadRow], int | None]:
        params = {
            "viewer_id": user.id,
            "group_id": group.id,
            "limit": per_page,
            "offset": (page - 1) * per_page,
        }
        (rows,), total = fetch_rows(_group_page_statement(), params, [_pinned_then_active])
        return rows, total

    page = max(1, page)
    rows, total = load(page)
    if total is None:  # nothing on this page: count, and show the last page instead
        if page == 1:
            total = 0
        else:
            total = db.session.scalar(select(visible_thread_count(group.id))) or 0
            last = max(1, ceil(total / per_page))
            if page > last:
                page = last
                rows, _total = load(page)
    return Page(items=rows, page=page, per_page=per_page, total=total)
