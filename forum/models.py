"""Threads, nested posts, revisions, reactions, read state and watches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Tag
from groups.models import Group

THREAD_KINDS = ("discussion", "question")
VISIBLE_THREAD = "hidden_at IS NULL AND deleted_at IS NULL"  # partial indexes' condition
REACTION_KINDS = ("useful", "thanks")

thread_tags = Table(
    "thread_tags",
    db.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Thread(db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(20), default="discussion")
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    # The opening post carries the body; replies are posts with thread_id set too.
    first_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    accepted_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    # Moderation: a hidden thread disappears from every listing, search and digest.
    hidden_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by=Tag.position)
    first_post: Mapped[Post | None] = relationship(foreign_keys=[first_post_id], post_update=True)
    accepted_post: Mapped[Post | None] = relationship(
        foreign_keys=[accepted_post_id], post_update=True
    )

    __table_args__ = (
        Index("ix_threads_group_id_last_activity_at", "group_id", "last_activity_at"),
        Index("ix_threads_last_activity_at", "last_activity_at"),
        # A group's page in order, and its visible threads counted, from the index alone.
        Index(
            "ix_threads_visible_group_listing",
            "group_id",
            "is_pinned",
            "last_activity_at",
            "id",
            postgresql_where=text(VISIBLE_THREAD),
            sqlite_where=text(VISIBLE_THREAD),
        ),
        # The dashboard's open questions, newest first.
        Index("ix_threads_kind_created_at", "kind", "created_at"),
    )

    @property
    def is_question(self) -> bool:
        return self.kind == "question"

    @property
    def is_answered(self) -> bool:
        return self.accepted_post_id is not None

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None and self.deleted_at is None


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    depth: Mapped[int] = mapped_column(default=0)  # 0 = opening post, 1 = top-level reply
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    useful_count: Mapped[int] = mapped_column(default=0)
    thanks_count: Mapped[int] = mapped_column(default=0)
    # The author ticked "I checked that this is not traceable" over a privacy warning.
    privacy_override: Mapped[bool] = mapped_column(default=False)

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    parent: Mapped[Post | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    # Ids of the members mentioned in this write, set by the services just before the
    # signals fire (not stored): receivers of `thread_created` read it from the post.
    mentioned_user_ids: tuple[int, ...] = ()
    revisions: Mapped[list[PostRevision]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostRevision.id"
    )

    __table_args__ = (
        Index("ix_posts_thread_id_parent_id_created_at", "thread_id", "parent_id", "created_at"),
        Index("ix_posts_author_id_created_at", "author_id", "created_at"),
        Index("ix_posts_created_at", "created_at"),
        # The thread page: one page of top-level replies, and the first unread post.
        Index("ix_posts_thread_id_depth_id", "thread_id", "depth", "id"),
        Index("ix_posts_thread_id_id", "thread_id", "id"),
    )

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None


class PostRevision(db.Model):
    """An earlier version of a post, kept on every edit."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


class Reaction(db.Model):
    __tablename__ = "reactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind"),)


class ThreadRead(db.Model):
    """How far a member has read a thread (for unread counts and 'jump to first unread')."""

    __tablename__ = "thread_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_read_post_id: Mapped[int | None]

    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)


class ThreadWatch(db.Model):
    """Watching (notify on every reply) or muting a thread."""

    __tablename__ = "thread_watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(10), default="watch")  # watch | mute

    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)
