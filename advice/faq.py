"""Turning a closed question into an anonymised FAQ candidate for the editors.

Only with the asker's consent. The candidate keeps the subject, the question and the
answers of advisers and the sparring partner, with everything the privacy guard finds
(phone numbers, postcodes, dates of birth, …) replaced by "[…]" and no names: editors
rewrite it before anything is published. `faq_draft(question)` builds the text and
`flag_faq_candidate` stores it; when the kennisbank exists, the integrator points
`flag_faq_candidate` at its "FAQ draft" service instead of the table below.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from advice.errors import AdviceError
from advice.models import AdviceQuestion, FaqCandidate
from auth.models import User
from core.audit import record_audit
from core.extensions import db
from core.privacy.guard import scan_text

REDACTED = "[…]"


def anonymise(text: str) -> str:
    """The text with every finding of the privacy guard replaced by "[…]"."""
    findings = sorted(scan_text(text or "").findings, key=lambda f: f.start, reverse=True)
    for finding in findings:
        text = text[: finding.start] + REDACTED + text[finding.end :]
    return text


@dataclass(frozen=True)
class FaqDraft:
    title: str
    question: str
    answer: str
    theme_id: int | None


def faq_draft(question: AdviceQuestion) -> FaqDraft:
    """The anonymised question and answers (never internal notes, never the asker's
    replies, never names)."""
    answers = [
        anonymise(message.body_source)
        for message in question.messages
        if not message.is_internal and message.author_id != question.asker_id
    ]
    return FaqDraft(
        title=anonymise(question.subject or ""),
        question=anonymise(question.body_source or ""),
        answer="\n\n".join(answers),
        theme_id=question.theme_id,
    )


def flag_faq_candidate(question: AdviceQuestion, actor: User) -> FaqCandidate:
    """Keep the anonymised question as a FAQ candidate flagged for the editors (once per
    question). Needs a closed question and the asker's consent. Flushes."""
    if not question.is_closed or not question.faq_consent or question.is_erased:
        raise AdviceError("no consent")
    existing = db.session.scalar(
        select(FaqCandidate).where(FaqCandidate.question_id == question.id)
    )
    if existing is not None:
        return existing
    draft = faq_draft(question)
    candidate = FaqCandidate(
        question_id=question.id,
        title=draft.title[:150],
        question_text=draft.question,
        answer_text=draft.answer,
        theme_id=draft.theme_id,
        flagged_by_id=actor.id,
    )
    db.session.add(candidate)
    db.session.flush()
    record_audit(actor, "advice.faq_candidate", "advice_question", question.id)
    return candidate
