"""Demo content for `flask seed demo`: one open report in the queue, so moderators see
how it works. Idempotent: adds nothing when any report exists. The demo moderator
account itself comes from groups/demo.py."""

from __future__ import annotations

from sqlalchemy import select

from auth.models import User
from core.extensions import db
from forum.models import Post, Thread
from groups.models import Group
from moderation.models import Report


def seed_demo() -> list[tuple[str, str, str]]:
    if db.session.scalar(select(Report.id).limit(1)) is not None:
        return []
    post = db.session.scalar(
        select(Post)
        .join(Thread, Post.thread_id == Thread.id)
        .join(Group, Thread.group_id == Group.id)
        .where(Group.visibility == "members", Post.depth >= 1, Post.hidden_at.is_(None))
        .order_by(Post.id)
        .limit(1)
    )
    if post is None:
        return []
    reporter = db.session.scalar(
        select(User)
        .where(User.status == "active", User.role == "member", User.id != post.author_id)
        .order_by(User.id)
        .limit(1)
    )
    if reporter is None:
        return []
    db.session.add(
        Report(
            post_id=post.id,
            reporter_id=reporter.id,
            reason="ongepast_gedrag",
            note="De toon is erg fel. Kan een moderator meekijken?",
        )
    )
    db.session.flush()
    return []
