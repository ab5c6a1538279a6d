"""Turning a closed question into an anonymised FAQ draft in the kennisbank.

Only with the asker's consent. The draft keeps the subject, the question and the
answers of advisers and the sparring partner, with everything the privacy guard finds
(phone numbers, postcodes, dates of birth, …) replaced by "[…]" and no names: editors
rewrite it before anything is published. `faq_draft(question)` builds the text and
`make_faq_draft` hands it to the kennisbank's own FAQ service (a members-only draft,
scanned by the privacy guard, audit-logged) and links it to the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from advice.errors import AdviceError
from advice.models import AdviceQuestion
from auth.models import User
from core.audit import record_audit
from core.extensions import db
from core.privacy.guard import scan_text
from knowledge import faq as knowledge_faq
from knowledge.models import KnowledgeItem

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


def make_faq_draft(
    question: AdviceQuestion, actor: User, *, now: datetime | None = None
) -> KnowledgeItem:
    """Make the anonymised question a FAQ draft in the kennisbank (once per question)
    and link it from the question. Needs a closed question and the asker's consent.
    Raises AdviceError (also when another adviser linked one first: roll back), or
    knowledge.faq.PrivacyBlocked. Flushes."""
    if not question.is_closed or not question.faq_consent or question.is_erased:
        raise AdviceError("no consent")
    if question.faq_item is not None:
        return question.faq_item
    draft = faq_draft(question)
    item = knowledge_faq.create_faq_draft(
        actor,
        title=draft.title or f"FAQ {question.id}",
        question=draft.question,
        answer=draft.answer,
        theme_ids=(draft.theme_id,) if draft.theme_id else (),
        now=now,
    )
    # Conditional: of two advisers clicking at once, only the first links a draft; the
    # other gets AdviceError and its view rolls its own draft back.
    linked = db.session.execute(
        update(AdviceQuestion)
        .where(AdviceQuestion.id == question.id, AdviceQuestion.faq_item_id.is_(None))
        .values(faq_item_id=item.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not linked:
        raise AdviceError("already made")
    db.session.refresh(question, ["faq_item_id", "faq_item"])
    record_audit(
        actor, "advice.faq_draft", "advice_question", question.id,
        details={"knowledge_item_id": item.id},
    )  # fmt: skip
    return item
