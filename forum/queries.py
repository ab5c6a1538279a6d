"""Read-side selects for the forum, with explicit eager loading.

The thread page runs a fixed number of queries whatever the number of replies: the
opening post, one page of top-level replies, all their descendants (one recursive CTE over
`Post.parent_id`, which SQLite and PostgreSQL both run), the authors of all of them (with sector, function and region joined by
the User mapping), the viewer's reactions and the sectors of the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from auth.models import FORMER_MEMBER_NAME, User
from core.db import id_list, parse_ids
from core.extensions import db
from core.taxonomy import Sector, TermLabel, term_labels
from forum.models import Post, Reaction, Thread, ThreadRead, ThreadWatch
from groups.models import Group, Membership

REPLIES_PER_PAGE = 20
# Indentation stops here; deeper replies are listed flat with "in reactie op <naam>".
MAX_INDENT = 3


def get_thread(thread_id: int) -> Thread | None:
    return db.session.scalar(
        select(Thread).options(joinedload(Thread.group)).where(Thread.id == thread_id)
    )


def thread_for_reader(thread_id: int, viewer) -> tuple[Thread | None, Membership | None]:
    """The thread with its group and tags and the viewer's membership of that group, in
    one statement (the thread page and every action on a thread start here)."""
    thread, membership, _state = _reader_row(_reader_statement(), thread_id, viewer)
    return thread, membership


def thread_for_page(
    thread_id: int, viewer, page: int
) -> tuple[Thread | None, Membership | None, tuple | None]:
    """`thread_for_reader` and the viewer's state for `page` of it (what `thread_page`
    needs besides the posts) in one statement: the thread page's second round trip."""
    offset = (max(page, 1) - 1) * REPLIES_PER_PAGE
    return _reader_row(_reader_statement(with_state=True), thread_id, viewer, offset=offset)


def _reader_row(statement, thread_id: int, viewer, offset: int = 0):
    row = (
        db.session.execute(
            statement,
            {"thread_id": thread_id, "user_id": viewer.id, "limit": REPLIES_PER_PAGE,
             "offset": offset},
        )
        .unique()
        .first()
    )  # fmt: skip
    if row is None:
        return None, None, None
    return row[0], row[1], tuple(row[2:]) or None


def _reader_statement(with_state: bool = False):
    """The thread, its group and tags and the viewer's membership (and, with the state,
    the viewer-state columns), built once per app with bound parameters."""
    key = "forum_reader_with_state" if with_state else "forum_reader"
    statement = current_app.extensions.get(key)
    if statement is None:
        membership_of_viewer = (Membership.group_id == Thread.group_id) & (
            Membership.user_id == bindparam("user_id")
        )
        state = _viewer_state_columns() if with_state else []
        statement = current_app.extensions[key] = (
            select(Thread, Membership, *state)
            .options(joinedload(Thread.group), joinedload(Thread.tags))
            .outerjoin(Membership, membership_of_viewer)
            .where(Thread.id == bindparam("thread_id"))
        )
    return statement


def get_post(post_id: int) -> Post | None:
    return db.session.scalar(
        select(Post)
        .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
        .where(Post.id == post_id)
    )


@dataclass(frozen=True, slots=True)
class PostRef:
    """Where a post sits, read before a commit expires it: what `page_of_post` and the
    post's URL need, without loading the post again after the commit."""

    id: int
    thread_id: int
    depth: int

    @classmethod
    def of(cls, post: Post) -> PostRef:
        return cls(post.id, post.thread_id, post.depth)


def page_of_post(post: Post | PostRef) -> int:
    """The page of the thread on which `post` is shown (1 for the opening post)."""
    if post.depth == 0:
        return 1
    root_id = post.id if post.depth <= 1 else _top_level_ancestor_id(post)
    before = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.thread_id == post.thread_id, Post.depth == 1, Post.id < root_id
        )
    )
    return (before or 0) // REPLIES_PER_PAGE + 1


def _top_level_ancestor_id(post: Post | PostRef) -> int:
    up = (
        select(Post.id, Post.parent_id, Post.depth)
        .where(Post.id == post.id)
        .cte("ancestors", recursive=True)
    )
    up = up.union_all(
        select(Post.id, Post.parent_id, Post.depth).join(up, Post.id == up.c.parent_id)
    )
    found = db.session.scalar(select(up.c.id).where(up.c.depth <= 1).order_by(up.c.depth.desc()))
    return found or post.id


@dataclass
class Node:
    """A post in the reply tree as shown: indented children, or flat ones with the
    name of the member they answer."""

    post: Post
    level: int
    children: list[Node] = field(default_factory=list)
    in_reply_to: str | None = None


@dataclass
class ThreadPage:
    thread: Thread
    opening: PagePost
    accepted: PagePost | None
    nodes: list[Node]
    page: int
    page_count: int
    sectors: list[TermLabel]
    my_reactions: set[tuple[int, str]]
    first_unread_id: int | None
    first_unread_on_page: bool
    watch_level: str | None
    posts_on_page: list[PagePost]
    # The reader's stored position (None before the first visit): the page writes a new
    # one only when the thread has moved past it.
    read_position: tuple[int | None, datetime] | None = None
    # Figures registered by features above (register_viewer_column).
    extras: dict = field(default_factory=dict)

    @property
    def read_position_moved(self) -> bool:
        if self.read_position is None:
            return True
        last_post_id, last_read_at = self.read_position
        return (
            last_post_id != self.thread.last_post_id or last_read_at < self.thread.last_activity_at
        )


def build_tree(top_level: list[Post], descendants: list[Post]) -> list[Node]:
    """Nest replies up to MAX_INDENT levels; deeper ones hang flat under their level-3
    ancestor, in order of writing, each with the name of the author they answer."""
    by_parent: dict[int, list[Post]] = {}
    by_id = {p.id: p for p in (*top_level, *descendants)}
    for post in sorted(descendants, key=lambda p: p.id):
        by_parent.setdefault(post.parent_id, []).append(post)

    def flat_below(post: Post) -> list[Node]:
        found: list[Node] = []
        for child in by_parent.get(post.id, []):
            parent = by_id.get(child.parent_id)
            name = parent.author.public_name if parent and parent.author else None
            found.append(Node(child, MAX_INDENT, in_reply_to=name))
            found.extend(flat_below(child))
        return found

    def grow(post: Post, level: int) -> Node:
        node = Node(post, level)
        if level >= MAX_INDENT:
            node.children = sorted(flat_below(post), key=lambda n: n.post.id)
        else:
            node.children = [grow(child, level + 1) for child in by_parent.get(post.id, [])]
        return node

    return [grow(post, 1) for post in top_level]


# The thread page's statements are built once, with bound parameters: building a select
# costs more Python than running it.


def register_viewer_column(app, name: str, column) -> None:
    """Let a feature above add a figure about the viewer and the thread to the thread
    page's one-row viewer state (insight: the viewer's own signal).
    `column(thread_id, user_id)` returns a scalar subquery of those bound parameters; the
    value is in `ThreadPage.extras[name]`."""
    app.extensions.setdefault("forum_viewer_columns", {})[name] = column
    for built in ("forum_viewer_state", "forum_reader_with_state"):
        app.extensions.pop(built, None)


def _viewer_state_statement():
    """The viewer-state statement of this app, built once."""
    statement = current_app.extensions.get("forum_viewer_state")
    if statement is None:
        statement = current_app.extensions["forum_viewer_state"] = select(*_viewer_state_columns())
    return statement


def _viewer_state_columns() -> list:
    """The viewer-state columns of this app (with what features registered)."""
    return _build_viewer_state(current_app.extensions.get("forum_viewer_columns", {}))


def _build_viewer_state(extra: dict) -> list:
    """One row's columns: the number of top-level replies, the ids of one page of top-level replies
    and of all replies below them however deep (a recursive CTE over `Post.parent_id`,
    which both databases run), the viewer's read position, watch level and first unread
    post, and what other features registered."""
    thread_id, user_id = bindparam("thread_id"), bindparam("user_id")
    top = (
        select(Post.id)
        .where(Post.thread_id == thread_id, Post.depth == 1)
        .order_by(Post.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    down = (
        select(Post.id)
        .where(Post.parent_id.in_(top.scalar_subquery()))
        .cte("descendants", recursive=True)
    )
    down = down.union_all(select(Post.id).join(down, Post.parent_id == down.c.id))
    top, below = top.subquery(), select(down.c.id).subquery()
    read = (ThreadRead.thread_id == thread_id) & (ThreadRead.user_id == user_id)
    last_read = select(ThreadRead.last_read_post_id).where(read).scalar_subquery()
    # The sectors of everyone whose post in the thread is shown: the author's sector is
    # looked up per post by primary key (a join lets the planner scan all members).
    author_sector = (
        select(User.sector_id)
        .where(User.id == Post.author_id, User.status != "deleted")
        .scalar_subquery()
    )
    sectors = (
        select(author_sector.label("sector_id"))
        .distinct()
        .where(Post.thread_id == thread_id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .subquery()
    )
    return [
        select(func.count(Post.id))
        .where(Post.thread_id == thread_id, Post.depth == 1)
        .scalar_subquery(),
        select(id_list(top.c.id)).scalar_subquery(),
        select(id_list(below.c.id)).scalar_subquery(),
        last_read,
        select(ThreadRead.last_read_at).where(read).scalar_subquery(),
        select(ThreadWatch.level)
        .where(ThreadWatch.thread_id == thread_id, ThreadWatch.user_id == user_id)
        .scalar_subquery(),
        select(func.min(Post.id))
        .where(
            Post.thread_id == thread_id,
            Post.id > last_read,
            Post.deleted_at.is_(None),
            Post.hidden_at.is_(None),
        )
        .scalar_subquery(),
        select(id_list(sectors.c.sector_id)).scalar_subquery(),
        *(column(thread_id, user_id).label(name) for name, column in extra.items()),
    ]


@dataclass(frozen=True, slots=True)
class PageAuthor:
    """What the thread page shows of a post's author (plain values, no ORM object)."""

    id: int
    display_name: str
    status: str
    sector_id: int | None

    @property
    def is_deleted(self) -> bool:
        return self.status == "deleted"

    @property
    def public_name(self) -> str:
        return FORMER_MEMBER_NAME if self.is_deleted else self.display_name

    @property
    def sector(self) -> TermLabel | None:
        return term_labels(Sector).get(self.sector_id) if self.sector_id else None


@dataclass(frozen=True, slots=True)
class PagePost:
    """A post as the thread page and the forum policies read it (plain values: loading
    twenty ORM posts with their authors cost more than the query)."""

    id: int
    thread_id: int
    parent_id: int | None
    author_id: int | None
    depth: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str | None
    useful_count: int
    thanks_count: int
    author: PageAuthor | None

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None


_POST_COLUMNS = (
    Post.id,
    Post.thread_id,
    Post.parent_id,
    Post.author_id,
    Post.depth,
    Post.body_html,
    Post.created_at,
    Post.edited_at,
    Post.deleted_at,
    Post.hidden_at,
    Post.hidden_reason,
    Post.useful_count,
    Post.thanks_count,
)


@cache
def _posts_statement():
    """The posts by id with what the page shows of their authors, and whether the viewer
    found each useful or said thanks: plain columns."""
    user_id = bindparam("user_id")

    def mine(kind: str):
        return (
            select(Reaction.id)
            .where(Reaction.post_id == Post.id, Reaction.user_id == user_id,
                   Reaction.kind == kind)
            .exists()
        )  # fmt: skip

    return (
        select(
            *_POST_COLUMNS,
            User.display_name,
            User.status,
            User.sector_id,
            mine("useful"),
            mine("thanks"),
        )
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.id.in_(bindparam("ids", expanding=True)))
        .order_by(Post.id)
    )


def _page_post(row) -> tuple[PagePost, bool, bool]:
    *post, display_name, status, sector_id, useful, thanks = row
    author_id = post[3]
    author = (
        None
        if author_id is None or display_name is None
        else PageAuthor(author_id, display_name, status, sector_id)
    )
    return PagePost(*post, author=author), useful, thanks


def _sectors_of(ids: list[int]) -> list[TermLabel]:
    labels = term_labels(Sector)
    return sorted((labels[i] for i in ids if i in labels), key=lambda term: term.position)


def thread_page(
    thread: Thread, viewer, page: int = 1, state: tuple | None = None
) -> ThreadPage | None:
    """Everything the thread page shows; None when `page` is past the end. Two
    statements whatever the size of the thread: the viewer's state with the ids of the
    page's posts and of the sectors taking part (or `state` as `thread_for_page` read
    it), and the posts (the sectors' names come from `term_labels`)."""
    if page < 1:
        return None
    if state is None:
        state = db.session.execute(
            _viewer_state_statement(),
            {"thread_id": thread.id, "user_id": viewer.id, "limit": REPLIES_PER_PAGE,
             "offset": (page - 1) * REPLIES_PER_PAGE},
        ).one()  # fmt: skip
    top_count, top_ids, below_ids, last_read_id, last_read_at, watch_level, first_unread_id = state[
        :7
    ]
    sector_ids = parse_ids(state[7])
    page_count = max(1, -(-(top_count or 0) // REPLIES_PER_PAGE))
    if page > page_count:
        return None
    top_ids, below_ids = parse_ids(top_ids), parse_ids(below_ids)
    singles = [i for i in (thread.first_post_id, thread.accepted_post_id) if i]
    ids = [*top_ids, *below_ids, *singles]
    rows = [
        _page_post(row)
        for row in db.session.execute(_posts_statement(), {"ids": ids, "user_id": viewer.id})
    ]
    by_id = {post.id: post for post, _, _ in rows}
    my_reactions = {
        (post.id, kind)
        for post, useful, thanks in rows
        for kind, mine in (("useful", useful), ("thanks", thanks))
        if mine
    }
    opening = by_id.get(thread.first_post_id)
    # The accepted answer may live on another page: then it is shown apart, not in the tree.
    accepted = by_id.get(thread.accepted_post_id) if thread.accepted_post_id else None
    top_level = [by_id[i] for i in sorted(top_ids) if i in by_id]
    descendants = [by_id[i] for i in sorted(below_ids) if i in by_id]
    posts = [p for p in (opening, *top_level, *descendants) if p is not None]
    return ThreadPage(
        thread=thread,
        opening=opening,
        accepted=accepted,
        nodes=build_tree(top_level, descendants),
        page=page,
        page_count=page_count,
        sectors=_sectors_of(sector_ids),
        my_reactions=my_reactions,
        first_unread_id=first_unread_id,
        first_unread_on_page=first_unread_id in {p.id for p in posts},
        watch_level=watch_level,
        posts_on_page=posts,
        read_position=None if last_read_at is None else (last_read_id, last_read_at),
        extras=dict(
            zip(current_app.extensions.get("forum_viewer_columns", {}), state[8:], strict=True)
        ),
    )


def post_history(post: Post) -> list:
    """Earlier versions of a post, newest first, with their editors."""
    from forum.models import PostRevision

    return list(
        db.session.scalars(
            select(PostRevision)
            .options(selectinload(PostRevision.editor))
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.id.desc())
        )
    )


def groups_managed_by(user) -> list[Group]:
    """Groups a thread may be moved into by `user` (coordinator of, or all for admins)."""
    stmt = select(Group).order_by(Group.name)
    if not user.is_admin:
        stmt = stmt.where(
            Group.id.in_(
                select(Membership.group_id).where(
                    Membership.user_id == user.id,
                    Membership.status == "active",
                    Membership.role == "coordinator",
                )
            )
        )
    return list(db.session.scalars(stmt))
