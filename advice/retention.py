"""Erasing advice content: after the retention period, and when the asker deletes their
account. What stays is anonymous: urgency, kind, sector, outcome, rating and the times
(asked, due, first answered, closed) that the team's numbers are made of.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from advice.models import AdviceMessage, AdviceQuestion, SparringPartner, SparringProposal
from auth.models import User
from core.db import utcnow
from core.extensions import db

DEFAULT_RETENTION_DAYS = 365


def erase_questions(question_ids: list[int], now: datetime | None = None) -> int:
    """Erase the content of these questions: text, conversation, proposals and every
    person involved. Returns how many. Flushes."""
    if not question_ids:
        return 0
    now = now or utcnow()
    db.session.execute(delete(AdviceMessage).where(AdviceMessage.question_id.in_(question_ids)))
    db.session.execute(
        delete(SparringProposal).where(SparringProposal.question_id.in_(question_ids))
    )
    result = db.session.execute(
        update(AdviceQuestion)
        .where(AdviceQuestion.id.in_(question_ids))
        .values(
            subject=None,
            body_source=None,
            body_html=None,
            asker_id=None,
            adviser_id=None,
            partner_id=None,
            region_id=None,
            theme_id=None,
            faq_consent=False,
            status="closed",
            closed_at=func.coalesce(AdviceQuestion.closed_at, now),
            erased_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire_all()
    return result.rowcount or 0


def purge_expired_questions(now: datetime | None = None, days: int = DEFAULT_RETENTION_DAYS) -> int:
    """Erase questions closed more than `days` ago. Idempotent (erased ones are skipped)."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(AdviceQuestion.id).where(
                AdviceQuestion.status == "closed",
                AdviceQuestion.erased_at.is_(None),
                AdviceQuestion.closed_at < now - timedelta(days=days),
            )
        )
    )
    return erase_questions(ids, now)


def erase_member_advice(user: User, now: datetime | None = None) -> int:
    """Account deletion: erase the member's questions (open or closed) and take them out
    of the sparring pool. Their answers in others' questions stay, under "Oud-lid"."""
    ids = list(
        db.session.scalars(
            select(AdviceQuestion.id).where(
                AdviceQuestion.asker_id == user.id, AdviceQuestion.erased_at.is_(None)
            )
        )
    )
    db.session.execute(delete(SparringPartner).where(SparringPartner.user_id == user.id))
    db.session.execute(
        update(SparringProposal)
        .where(SparringProposal.user_id == user.id, SparringProposal.status == "proposed")
        .values(status="withdrawn")
        .execution_options(synchronize_session=False)
    )
    return erase_questions(ids, now)


def on_member_changed(sender=None, user=None, action=None, **extra) -> None:
    """`core.signals.member_changed` receiver (connected in advice.views.init_app)."""
    if user is not None and action == "delete":
        erase_member_advice(user)
