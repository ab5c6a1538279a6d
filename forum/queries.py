"""Read-side selects for the forum, with explicit eager loading.

The thread page runs a fixed number of queries whatever the number of replies: the
opening post, one page of top-level replies, all their descendants (one recursive CTE over
`Post.parent_id`, which SQLite and PostgreSQL both run), the authors of all of them (with sector, function and region joined by
the User mapping), the viewer's reactions and the sectors of the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from auth.models import User
from core.extensions import db
from core.taxonomy import Sector
from forum.models import Post, Reaction, Thread, ThreadRead, ThreadWatch
from groups.models import Group

REPLIES_PER_PAGE = 20
# Indentation stops here; deeper replies are listed flat with "in reactie op <naam>".
MAX_INDENT = 3


def get_thread(thread_id: int) -> Thread | None:
    return db.session.scalar(
        select(Thread).options(joinedload(Thread.group)).where(Thread.id == thread_id)
    )


def get_post(post_id: int) -> Post | None:
    return db.session.scalar(
        select(Post)
        .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
        .where(Post.id == post_id)
    )


def page_of_post(post: Post) -> int:
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


def _top_level_ancestor_id(post: Post) -> int:
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


def _descendants_of(post_ids: list[int]):
    """A select of every reply below the given posts, however deep (one query)."""
    down = select(Post.id).where(Post.parent_id.in_(post_ids)).cte("descendants", recursive=True)
    down = down.union_all(select(Post.id).join(down, Post.parent_id == down.c.id))
    return select(Post).where(Post.id.in_(select(down.c.id)))


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
    opening: Post
    accepted: Post | None
    nodes: list[Node]
    page: int
    page_count: int
    sectors: list[Sector]
    my_reactions: set[tuple[int, str]]
    first_unread_id: int | None
    first_unread_on_page: bool
    watch_level: str | None
    posts_on_page: list[Post]


def _with_author(stmt):
    return stmt.options(selectinload(Post.author))


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


def thread_page(thread: Thread, viewer, page: int = 1) -> ThreadPage | None:
    """Everything the thread page shows; None when `page` is past the end."""
    opening = db.session.scalar(_with_author(select(Post)).where(Post.id == thread.first_post_id))
    top_count = db.session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == thread.id, Post.depth == 1)
    )
    page_count = max(1, -(-(top_count or 0) // REPLIES_PER_PAGE))
    if page < 1 or page > page_count:
        return None
    top_level = list(
        db.session.scalars(
            _with_author(select(Post))
            .where(Post.thread_id == thread.id, Post.depth == 1)
            .order_by(Post.id)
            .limit(REPLIES_PER_PAGE)
            .offset((page - 1) * REPLIES_PER_PAGE)
        )
    )
    top_ids = [p.id for p in top_level]
    descendants = (
        list(db.session.scalars(_with_author(_descendants_of(top_ids)).order_by(Post.id)))
        if top_ids
        else []
    )
    accepted = None
    if thread.accepted_post_id:
        on_page = {p.id: p for p in (*top_level, *descendants)}
        accepted = on_page.get(thread.accepted_post_id) or db.session.scalar(
            select(Post).options(joinedload(Post.author)).where(Post.id == thread.accepted_post_id)
        )
    posts = [p for p in (opening, *top_level, *descendants) if p is not None]
    post_ids = [p.id for p in posts] + ([accepted.id] if accepted else [])
    my_reactions = {
        (post_id, kind)
        for post_id, kind in db.session.execute(
            select(Reaction.post_id, Reaction.kind).where(
                Reaction.user_id == viewer.id, Reaction.post_id.in_(post_ids)
            )
        )
    }
    sectors = list(
        db.session.scalars(
            select(Sector)
            .where(
                Sector.id.in_(
                    select(User.sector_id)
                    .join(Post, Post.author_id == User.id)
                    .where(
                        Post.thread_id == thread.id,
                        Post.deleted_at.is_(None),
                        Post.hidden_at.is_(None),
                        User.status != "deleted",
                    )
                )
            )
            .order_by(Sector.position)
        )
    )
    read_state, watch_level = db.session.execute(
        select(
            select(ThreadRead.last_read_post_id)
            .where(ThreadRead.thread_id == thread.id, ThreadRead.user_id == viewer.id)
            .scalar_subquery(),
            select(ThreadWatch.level)
            .where(ThreadWatch.thread_id == thread.id, ThreadWatch.user_id == viewer.id)
            .scalar_subquery(),
        )
    ).one()
    first_unread_id = None
    has_read_before = read_state is not None
    if has_read_before:
        first_unread_id = db.session.scalar(
            select(func.min(Post.id)).where(
                Post.thread_id == thread.id,
                Post.id > read_state,
                Post.deleted_at.is_(None),
                Post.hidden_at.is_(None),
            )
        )
    return ThreadPage(
        thread=thread,
        opening=opening,
        accepted=accepted,
        nodes=build_tree(top_level, descendants),
        page=page,
        page_count=page_count,
        sectors=sectors,
        my_reactions=my_reactions,
        first_unread_id=first_unread_id,
        first_unread_on_page=first_unread_id in {p.id for p in posts},
        watch_level=watch_level,
        posts_on_page=posts,
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
    from groups.models import Membership

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
