"""Advice desk operations: asking, the private conversation, taking, handing over,
closing, rating and FAQ consent.

Services take models and plain values, flush, and never commit: the view (or the task)
owns the transaction. The privacy guard runs here, so no caller can skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from advice import clock
from advice.errors import AdviceError
from advice.models import (
    KINDS,
    OUTCOMES,
    RATINGS,
    URGENCIES,
    AdviceMessage,
    AdviceQuestion,
)
from advice.notices import question_path, tell
from advice.sparring import propose_partners
from auth.models import User
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.text import render_markdown
from forum.services import PrivacyGuardError, check_privacy

__all__ = [
    "AdviceError",
    "NewQuestion",
    "PrivacyGuardError",
    "ask_question",
    "close_question",
    "hand_over",
    "post_message",
    "rate_question",
    "set_faq_consent",
    "take_question",
]


@dataclass(frozen=True)
class NewQuestion:
    subject: str
    body: str
    urgency: str = "normaal"
    kind: str = "adviseur"
    theme_id: int | None = None
    sector_id: int | None = None
    region_id: int | None = None
    privacy_checked: bool = False


def ask_question(asker: User, data: NewQuestion, *, now: datetime | None = None) -> AdviceQuestion:
    """File a question. Acute questions go to the top of the queue and every adviser is
    told at once; a question for a sparring partner gets up to three proposals."""
    if data.urgency not in URGENCIES or data.kind not in KINDS:
        raise AdviceError("unknown urgency or kind")
    override = check_privacy(data.subject, data.body, privacy_checked=data.privacy_checked)
    now = now or utcnow()
    question = AdviceQuestion(
        asker_id=asker.id,
        subject=data.subject,
        body_source=data.body,
        body_html=str(render_markdown(data.body)),
        urgency=data.urgency,
        kind=data.kind,
        theme_id=data.theme_id or None,
        sector_id=data.sector_id or None,
        region_id=data.region_id or None,
        privacy_override=override,
        created_at=now,
        last_activity_at=now,
        due_at=clock.due_at(now),
    )
    db.session.add(question)
    db.session.flush()
    if data.kind == "sparringpartner":
        propose_partners(question, now=now)
    if data.urgency == "acuut":
        for adviser in _advisers():
            tell(
                adviser,
                lambda: _("Acute adviesvraag: %(subject)s", subject=question.subject),
                question_path(question.id),
                actor=asker,
            )
    return question


def _advisers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == "adviser", User.status == "active").order_by(User.id)
        )
    )


def post_message(
    question: AdviceQuestion,
    author: User,
    body: str,
    *,
    internal: bool = False,
    privacy_checked: bool = False,
    now: datetime | None = None,
) -> AdviceMessage:
    """Add a message to the conversation. The first message by someone other than the
    asker is the first answer (the service level is met then); an adviser who answers an
    unassigned question takes it. Internal notes are never shown or sent to the asker."""
    if question.is_closed:
        raise AdviceError("closed")
    override = check_privacy("", body, privacy_checked=privacy_checked)
    now = now or utcnow()
    is_asker = author.id == question.asker_id
    internal = internal and author.is_adviser and not is_asker
    message = AdviceMessage(
        question_id=question.id,
        author_id=author.id,
        body_source=body,
        body_html=str(render_markdown(body)),
        is_internal=internal,
        privacy_override=override,
        created_at=now,
    )
    db.session.add(message)
    question.last_activity_at = now
    db.session.flush()
    if internal:
        return message
    subject = question.subject
    if is_asker:
        for person in (question.adviser, question.partner):
            tell(
                person,
                lambda: _("Nieuwe reactie op adviesvraag „%(subject)s”", subject=subject),
                question_path(question.id),
                actor=author,
            )
        return message
    if author.is_adviser and question.adviser_id is None:
        question.adviser_id = author.id
    if question.first_answered_at is None:
        question.first_answered_at = now
    question.status = "answered"
    db.session.flush()
    tell(
        question.asker,
        lambda: _("Er is een antwoord op je adviesvraag „%(subject)s”", subject=subject),
        question_path(question.id),
        actor=author,
    )
    return message


def _assign(question: AdviceQuestion, adviser: User) -> None:
    """Set the adviser and clear the reminder flag (in SQL: another process may have set
    it since the question was loaded), so the new adviser is reminded in their turn."""
    db.session.execute(
        update(AdviceQuestion)
        .where(AdviceQuestion.id == question.id)
        .values(adviser_id=adviser.id, reminder_sent_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(question, ["adviser_id", "adviser", "reminder_sent_at"])
    db.session.flush()


def take_question(question: AdviceQuestion, adviser: User) -> None:
    """The adviser becomes the question's adviser."""
    if question.is_closed:
        raise AdviceError("closed")
    _assign(question, adviser)
    record_audit(adviser, "advice.take", "advice_question", question.id)


def hand_over(question: AdviceQuestion, actor: User, new_adviser: User) -> None:
    """Give the question to another adviser, who is told."""
    if question.is_closed:
        raise AdviceError("closed")
    if not new_adviser.is_adviser or new_adviser.id == question.adviser_id:
        raise AdviceError("not an adviser")
    _assign(question, new_adviser)
    record_audit(
        actor, "advice.hand_over", "advice_question", question.id, subject_user=new_adviser
    )
    subject = question.subject
    tell(
        new_adviser,
        lambda: _("Adviesvraag aan je overgedragen: %(subject)s", subject=subject),
        question_path(question.id),
        actor=actor,
    )


def close_question(
    question: AdviceQuestion,
    actor: User,
    outcome: str,
    *,
    faq_consent: bool | None = None,
    now: datetime | None = None,
) -> bool:
    """Close the question with an outcome (once: a second close changes nothing).
    Returns whether this call closed it. The asker may give FAQ consent at the same time."""
    if outcome not in OUTCOMES:
        raise AdviceError("unknown outcome")
    now = now or utcnow()
    result = db.session.execute(
        update(AdviceQuestion)
        .where(AdviceQuestion.id == question.id, AdviceQuestion.status != "closed")
        .values(status="closed", closed_at=now, outcome=outcome, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    if faq_consent is not None and actor.id == question.asker_id:
        question.faq_consent = faq_consent
    db.session.flush()
    db.session.refresh(question)
    # The proposals still open are no longer needed.
    for proposal in question.proposals:
        if proposal.status == "proposed":
            proposal.status = "withdrawn"
    record_audit(
        actor, "advice.close", "advice_question", question.id, details={"outcome": outcome}
    )
    if actor.id != question.asker_id:
        subject = question.subject
        tell(
            question.asker,
            lambda: _("Je adviesvraag „%(subject)s” is afgesloten", subject=subject),
            question_path(question.id),
            actor=actor,
            email=False,
        )
    return True


def rate_question(question: AdviceQuestion, user: User, rating: str) -> bool:
    """One click after closing: helped or did not help. Only the first rating counts."""
    if rating not in RATINGS:
        raise AdviceError("unknown rating")
    result = db.session.execute(
        update(AdviceQuestion)
        .where(
            AdviceQuestion.id == question.id,
            AdviceQuestion.asker_id == user.id,
            AdviceQuestion.status == "closed",
            AdviceQuestion.rating.is_(None),
        )
        .values(rating=rating)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.refresh(question)
    return bool(result.rowcount)


def set_faq_consent(question: AdviceQuestion, user: User, consent: bool) -> None:
    """The asker allows (or withdraws) turning the question into an anonymised FAQ."""
    if user.id != question.asker_id:
        raise AdviceError("not the asker")
    question.faq_consent = consent
    db.session.flush()
