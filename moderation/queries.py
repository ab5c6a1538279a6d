"""Read-side selects for the moderation queue and the audit log (explicit eager loading)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from core.audit import AuditEvent
from core.extensions import db
from forum.models import Post, Thread
from groups.models import Membership
from moderation.models import REPORT_STATUSES, Report

QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100


def coordinated_group_ids(user) -> Select:
    """Ids of the groups `user` coordinates (active coordinator memberships)."""
    return select(Membership.group_id).where(
        Membership.user_id == user.id,
        Membership.status == "active",
        Membership.role == "coordinator",
    )


def coordinates_any_group(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(coordinated_group_ids(user).exists())) or False


def _queue_scope(stmt: Select, user) -> Select:
    """Site moderators see every report; coordinators those in their groups."""
    if user.is_moderator:
        return stmt
    return (
        stmt.join(Post, Report.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Thread.group_id.in_(coordinated_group_ids(user)))
    )


def queue_counts(user) -> dict[str, int]:
    """How many reports each tab holds for this moderator."""
    stmt = _queue_scope(select(Report.status, func.count(Report.id)), user).group_by(Report.status)
    counts = dict.fromkeys(REPORT_STATUSES, 0)
    for status, count in db.session.execute(stmt):
        counts[status] = count
    return counts


def queue_reports(user, status: str, page: int = 1):
    """A page of reports with their post, thread, group, author, reporter and handler."""
    stmt = (
        _queue_scope(select(Report), user)
        .where(Report.status == status)
        .options(
            joinedload(Report.post).joinedload(Post.thread).joinedload(Thread.group),
            joinedload(Report.post).joinedload(Post.author),
            joinedload(Report.reporter),
            joinedload(Report.handled_by),
        )
        .order_by(Report.created_at.desc() if status != "open" else Report.created_at, Report.id)
    )
    return db.paginate(stmt, page=page, per_page=QUEUE_PAGE_SIZE, error_out=False)


def reports_for_post(post_id: int) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.post_id == post_id)
        .options(joinedload(Report.reporter), joinedload(Report.handled_by))
        .order_by(Report.created_at.desc())
    )
    return list(db.session.scalars(stmt))


def post_for_moderation(post_id: int) -> Post | None:
    stmt = (
        select(Post)
        .where(Post.id == post_id)
        .options(joinedload(Post.thread).joinedload(Thread.group), joinedload(Post.author))
    )
    return db.session.scalar(stmt)


def thread_with_group(thread_id: int) -> Thread | None:
    return db.session.scalar(
        select(Thread).where(Thread.id == thread_id).options(joinedload(Thread.group))
    )


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None


def audit_events(filters: AuditFilter, page: int = 1):
    """A page of the audit log, newest first, with actor and subject loaded."""
    stmt = select(AuditEvent).options(
        joinedload(AuditEvent.actor), joinedload(AuditEvent.subject_user)
    )
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.created_at >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(AuditEvent.created_at < filters.date_to)
    stmt = stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=AUDIT_PAGE_SIZE, error_out=False)


def audit_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def audit_actors():
    """Everyone who ever acted in the log, for the filter."""
    from auth.models import User

    actor_ids = select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    return list(
        db.session.scalars(select(User).where(User.id.in_(actor_ids)).order_by(User.display_name))
    )


# --- appeals --------------------------------------------------------------------------


def appeal_counts() -> dict[str, int]:
    """Open and decided appeals, for the queue's tabs."""
    from moderation.models import Appeal

    counts = {"open": 0, "decided": 0}
    for status, count in db.session.execute(
        select(Appeal.status, func.count(Appeal.id)).group_by(Appeal.status)
    ):
        counts["open" if status == "open" else "decided"] += count
    return counts


def appeals_page(decided: bool, page: int = 1):
    """A page of appeals with the decision, the member and both moderators loaded."""
    from moderation.models import Appeal

    stmt = (
        select(Appeal)
        .where(Appeal.status != "open" if decided else Appeal.status == "open")
        .options(
            joinedload(Appeal.decision),
            joinedload(Appeal.appellant),
            joinedload(Appeal.decided_by),
            joinedload(Appeal.handled_by),
        )
        .order_by(Appeal.created_at.desc() if decided else Appeal.created_at, Appeal.id)
    )
    return db.paginate(stmt, page=page, per_page=QUEUE_PAGE_SIZE, error_out=False)


def latest_decision_about(user_id: int, action: str) -> AuditEvent | None:
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.subject_user_id == user_id, AuditEvent.action == action)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
