"""Forum operations: threads, replies, edits, reactions, answers, read state.

Services take models and plain values, flush, and never commit: the view owns the
transaction. Signals fire after the flush so receivers (notifications, search) add their
rows to the same transaction. Permission checks happen in the views through
`forum.policies`; the privacy guard runs here too, so no caller can skip it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from core import signals
from core.db import upsert_insert, utcnow
from core.extensions import db
from core.privacy.guard import ScanResult, scan_text
from core.taxonomy import Tag
from core.text import clean_line, clean_multiline, render_markdown
from forum.mentions import link_mentions
from forum.models import (
    REACTION_KINDS,
    THREAD_KINDS,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadRead,
    ThreadWatch,
)

WATCH_LEVELS = ("watch", "mute")
DEFAULT_POST_INTERVAL = 15
DEFAULT_NEW_MEMBER_POST_INTERVAL = 60
NEW_MEMBER_DAYS = 7


class PrivacyGuardError(Exception):
    """The text contains personal data: blocked, or warned and not yet confirmed.

    Carries the scan results (positions only, never the values) so the form can show
    where the data is.
    """

    def __init__(self, title: ScanResult, body: ScanResult) -> None:
        super().__init__("privacy guard")
        self.title = title
        self.body = body

    @property
    def is_blocked(self) -> bool:
        return self.title.is_blocked or self.body.is_blocked

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(self.title.kinds + self.body.kinds))

    @property
    def labels(self) -> list[str]:
        findings = {f.kind: f for f in (*self.title.findings, *self.body.findings)}
        return [str(findings[kind].label) for kind in self.kinds]


def check_privacy(title: str, body: str, *, privacy_checked: bool) -> bool:
    """Raise PrivacyGuardError unless the text may be saved; return whether the author
    overrode a warning (stored as Post.privacy_override)."""
    title_scan, body_scan = scan_text(title or ""), scan_text(body or "")
    has_warnings = title_scan.has_warnings or body_scan.has_warnings
    if title_scan.is_blocked or body_scan.is_blocked or (has_warnings and not privacy_checked):
        raise PrivacyGuardError(title_scan, body_scan)
    return has_warnings


@dataclass(frozen=True)
class PostingIntervals:
    normal: int = DEFAULT_POST_INTERVAL
    new_member: int = DEFAULT_NEW_MEMBER_POST_INTERVAL
    new_member_days: int = NEW_MEMBER_DAYS

    @classmethod
    def from_config(cls, config) -> PostingIntervals:
        return cls(
            normal=int(config.get("POST_MIN_INTERVAL_SECONDS", DEFAULT_POST_INTERVAL)),
            new_member=int(
                config.get("NEW_MEMBER_POST_MIN_INTERVAL_SECONDS", DEFAULT_NEW_MEMBER_POST_INTERVAL)
            ),
            new_member_days=int(config.get("NEW_MEMBER_DAYS", NEW_MEMBER_DAYS)),
        )


def seconds_until_next_post(user, intervals: PostingIntervals, now: datetime | None = None) -> int:
    """How long `user` must wait before posting again (0 = may post now).

    Members approved less than `new_member_days` ago wait longer: spam and heat-of-the-
    moment posting come mostly from new accounts.
    """
    if user.last_post_at is None:
        return 0
    now = now or utcnow()
    since = user.approved_at or user.created_at
    is_new = since is not None and now - since < timedelta(days=intervals.new_member_days)
    interval = intervals.new_member if is_new else intervals.normal
    remaining = (user.last_post_at + timedelta(seconds=interval) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _render(source: str, group) -> tuple[str, list[int]]:
    linked, mentioned = link_mentions(source, group)
    return str(render_markdown(linked)), mentioned


def _valid_tags(tag_ids: Iterable[int]) -> list[Tag]:
    ids = {int(t) for t in tag_ids}
    if not ids:
        return []
    return list(db.session.scalars(select(Tag).where(Tag.id.in_(ids)).order_by(Tag.position)))


def create_thread(
    group,
    author,
    *,
    title: str,
    body: str,
    kind: str = "discussion",
    tag_ids: Iterable[int] = (),
    privacy_checked: bool = False,
    now: datetime | None = None,
) -> Thread:
    """Open a thread with its opening post; the author watches it."""
    if kind not in THREAD_KINDS:
        raise ValueError(f"unknown thread kind {kind!r}")
    title = clean_line(title)
    body = clean_multiline(body).strip()
    override = check_privacy(title, body, privacy_checked=privacy_checked)
    now = now or utcnow()
    body_html, mentioned = _render(body, group)
    thread = Thread(
        group=group,
        author_id=author.id,
        title=title,
        kind=kind,
        created_at=now,
        last_activity_at=now,
        reply_count=0,
        tags=_valid_tags(tag_ids),
    )
    db.session.add(thread)
    db.session.flush()
    post = Post(
        thread_id=thread.id,
        author_id=author.id,
        depth=0,
        body_source=body,
        body_html=body_html,
        created_at=now,
        privacy_override=override,
    )
    db.session.add(post)
    db.session.flush()
    thread.first_post_id = post.id
    thread.last_post_id = post.id
    author.last_post_at = now
    db.session.add(ThreadWatch(thread_id=thread.id, user_id=author.id, level="watch"))
    db.session.flush()
    post.mentioned_user_ids = tuple(i for i in mentioned if i != author.id)
    signals.thread_created.send(thread=thread, post=post)
    return thread


def create_reply(
    thread: Thread,
    author,
    *,
    body: str,
    parent: Post | None = None,
    privacy_checked: bool = False,
    now: datetime | None = None,
) -> Post:
    """Reply to the thread, or to `parent` (a reply in the same thread)."""
    if parent is not None and parent.thread_id != thread.id:
        raise ValueError("parent post belongs to another thread")
    if parent is not None and parent.id == thread.first_post_id:
        parent = None  # answering the opening post is answering the thread
    body = clean_multiline(body).strip()
    override = check_privacy("", body, privacy_checked=privacy_checked)
    now = now or utcnow()
    body_html, mentioned = _render(body, thread.group)
    post = Post(
        thread_id=thread.id,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 1,
        author_id=author.id,
        body_source=body,
        body_html=body_html,
        created_at=now,
        privacy_override=override,
    )
    db.session.add(post)
    db.session.flush()
    mentioned_ids = [i for i in mentioned if i != author.id]
    post.mentioned_user_ids = tuple(mentioned_ids)
    signals.post_created.send(post=post, mentioned_user_ids=mentioned_ids)
    # The thread's and the author's rows last: their UPDATE locks them until the commit,
    # and every other reply to the thread (or post by the author) waits for that lock;
    # the notifications and index rows written above take no such lock.
    thread.reply_count = Thread.reply_count + 1
    thread.last_activity_at = now
    thread.last_post_id = post.id
    author.last_post_at = now
    db.session.flush()
    return post


def edit_post(
    post: Post,
    editor,
    *,
    body: str,
    title: str | None = None,
    tag_ids: Iterable[int] | None = None,
    privacy_checked: bool = False,
    now: datetime | None = None,
) -> Post:
    """Change a post, keeping the earlier text as a PostRevision. For the opening post
    the thread's title (and tags) may change too."""
    thread = post.thread
    is_opening = post.id == thread.first_post_id
    body = clean_multiline(body).strip()
    new_title = clean_line(title) if title is not None and is_opening else None
    override = check_privacy(new_title or "", body, privacy_checked=privacy_checked)
    now = now or utcnow()
    if body != post.body_source:
        db.session.add(
            PostRevision(post_id=post.id, editor_id=editor.id, body_source=post.body_source)
        )
        post.body_source = body
        post.body_html, _mentioned = _render(body, thread.group)
        post.edited_at = now
    if new_title and new_title != thread.title:
        thread.title = new_title
        post.edited_at = now
    if is_opening and tag_ids is not None:
        thread.tags = _valid_tags(tag_ids)
    post.privacy_override = post.privacy_override or override
    db.session.flush()
    signals.post_edited.send(post=post, editor=editor)
    return post


def delete_post(post: Post, actor, *, now: datetime | None = None) -> None:
    """Soft-delete: the tree keeps its shape, the post shows a placeholder."""
    if post.deleted_at is not None:
        return
    post.deleted_at = now or utcnow()
    thread = post.thread
    if thread.accepted_post_id == post.id:
        thread.accepted_post_id = None
    db.session.flush()
    recount_thread(thread)
    signals.post_moderated.send(post=post, action="delete", actor=actor, reason="")


def recount_thread(thread: Thread) -> None:
    """Recompute reply_count and last_post_id from the replies still shown (call after
    a delete, hide or restore)."""
    shown = (
        Post.thread_id == thread.id,
        Post.depth > 0,
        Post.deleted_at.is_(None),
        Post.hidden_at.is_(None),
    )
    count, last_id = db.session.execute(
        select(func.count(Post.id), func.max(Post.id)).where(*shown)
    ).one()
    thread.reply_count = count or 0
    thread.last_post_id = last_id or thread.first_post_id
    db.session.flush()


def toggle_reaction(post: Post, user, kind: str) -> bool:
    """Add or take back a 'useful'/'thanks' reaction; returns whether it is now on."""
    if kind not in REACTION_KINDS:
        raise ValueError(f"unknown reaction {kind!r}")
    column = Post.useful_count if kind == "useful" else Post.thanks_count
    existing = db.session.scalar(
        select(Reaction).where(
            Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind
        )
    )
    if existing is not None:
        db.session.delete(existing)
        delta = -1
    else:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
        delta = 1
    db.session.flush()
    # An UPDATE with an expression, so two members reacting at once both count.
    db.session.execute(update(Post).where(Post.id == post.id).values({column.key: column + delta}))
    db.session.refresh(post)
    return delta > 0


def accept_answer(thread: Thread, post: Post, actor) -> bool:
    """Mark `post` as the answer (or unmark it when it already is); returns is-accepted."""
    if thread.accepted_post_id == post.id:
        thread.accepted_post_id = None
        db.session.flush()
        signals.thread_changed.send(thread=thread, action="unaccept", actor=actor, reason="")
        return False
    thread.accepted_post_id = post.id
    db.session.flush()
    signals.answer_accepted.send(thread=thread, post=post, actor=actor)
    return True


def _audit(actor, action: str, thread: Thread, details: dict | None = None) -> None:
    from core.audit import record_audit

    record_audit(actor, action, "thread", thread.id, details=details or {})


def set_pinned(thread: Thread, actor, pinned: bool) -> None:
    thread.is_pinned = pinned
    db.session.flush()
    _audit(actor, "thread.pin" if pinned else "thread.unpin", thread)
    signals.thread_changed.send(
        thread=thread, action="pin" if pinned else "unpin", actor=actor, reason=""
    )


def set_locked(thread: Thread, actor, locked: bool) -> None:
    thread.is_locked = locked
    db.session.flush()
    _audit(actor, "thread.lock" if locked else "thread.unlock", thread)
    signals.thread_changed.send(
        thread=thread, action="lock" if locked else "unlock", actor=actor, reason=""
    )


def move_thread(thread: Thread, target_group, actor) -> None:
    source_id = thread.group_id
    if source_id == target_group.id:
        return
    thread.group = target_group
    db.session.flush()
    _audit(actor, "thread.move", thread, {"from_group": source_id, "to_group": target_group.id})
    signals.thread_changed.send(thread=thread, action="move", actor=actor, reason="")


def mark_read(thread: Thread, user, *, now: datetime | None = None) -> None:
    """Remember that `user` has seen the thread up to its latest post (one upsert)."""
    now = now or utcnow()
    values = {
        "thread_id": thread.id,
        "user_id": user.id,
        "last_read_at": now,
        "last_read_post_id": thread.last_post_id,
    }
    insert = upsert_insert(db.session.get_bind().dialect.name)
    stmt = insert(ThreadRead).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["thread_id", "user_id"],
        set_={"last_read_at": now, "last_read_post_id": thread.last_post_id},
    )
    db.session.execute(stmt)


def set_watch(thread: Thread, user, level: str) -> None:
    """`watch`, `mute`, or `none` to go back to the default."""
    if level not in (*WATCH_LEVELS, "none"):
        raise ValueError(f"unknown watch level {level!r}")
    db.session.execute(
        delete(ThreadWatch).where(
            ThreadWatch.thread_id == thread.id, ThreadWatch.user_id == user.id
        )
    )
    if level != "none":
        db.session.add(ThreadWatch(thread_id=thread.id, user_id=user.id, level=level))
    db.session.flush()
