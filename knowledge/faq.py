"""From conversation to knowledge: a FAQ draft made from an answered question, and the
consent of the members quoted in it.

The draft quotes the question and the accepted answer without names, passes the privacy
guard (`create_faq_draft` makes one from any anonymised question and answer, e.g. the
advice desk's), and asks each quoted author for consent (in-app through the
`knowledge_consent_requested` signal, by email here with one-click yes/no links). It
cannot be published while someone has not consented, unless their text was removed.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from auth.models import User
from core import signals
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.mail import queue_email
from core.privacy.guard import scan_text
from knowledge.models import KnowledgeConsent, KnowledgeItem
from knowledge.services import ItemData, KnowledgeError, create_item

CONSENT_TOKEN_MAX_AGE = 30 * 24 * 3600


class PrivacyBlocked(KnowledgeError):
    """The quoted text contains personal data that blocks saving."""


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def faq_draft_body(question: str, answer: str) -> str:
    """The draft's Markdown: the question and the answer, quoted, without names."""
    return (
        f"## {_('De vraag')}\n\n{_quote(question)}\n\n## {_('Het antwoord')}\n\n{_quote(answer)}\n"
    )


def create_faq_draft(
    actor,
    *,
    title: str,
    question: str,
    answer: str,
    theme_ids: tuple[int, ...] = (),
    now: datetime | None = None,
) -> KnowledgeItem:
    """A members-only FAQ draft quoting `question` and `answer` (text that has no names
    in it). Raises PrivacyBlocked when the text holds personal data that blocks saving;
    a warning is kept on the draft for the editor to check. Audit-logged by create_item."""
    body = faq_draft_body(question, answer)
    scan = scan_text(title + "\n" + body)
    if scan.is_blocked:
        raise PrivacyBlocked("privacy")
    item = create_item(
        actor,
        ItemData(title=title, kind="faq", summary="", body=body, theme_ids=theme_ids,
                 is_members_only=True),
        privacy_checked=True,
        now=now,
    )  # fmt: skip
    item.privacy_override = scan.has_warnings
    return item


def make_faq_draft(thread, actor, *, now: datetime | None = None) -> KnowledgeItem:
    """A FAQ draft from a question thread with an accepted answer. Raises PrivacyBlocked
    when the quoted text holds personal data that blocks saving (a warning is kept on
    the draft for the editor to check)."""
    opening, answer = thread.first_post, thread.accepted_post
    if opening is None or answer is None or answer.is_removed or opening.is_removed:
        raise KnowledgeError("no question or answer")
    item = create_faq_draft(
        actor,
        title=thread.title,
        question=opening.body_source,
        answer=answer.body_source,
        theme_ids=tuple(t.id for t in thread.tags),
        now=now,
    )
    item.source_thread_id = thread.id
    record_audit(
        actor, "knowledge.faq_from_thread", "knowledge_item", item.id,
        details={"thread_id": thread.id},
    )  # fmt: skip
    for post in (opening, answer):
        _ask_consent(item, post, actor)
    db.session.flush()
    return item


def _ask_consent(item: KnowledgeItem, post, actor) -> KnowledgeConsent:
    author = post.author
    is_self = author is not None and author.id == actor.id
    consent = KnowledgeConsent(
        item_id=item.id,
        user_id=author.id if author is not None else None,
        post_id=post.id,
        quoted_text=post.body_source,
        status="granted" if is_self else "pending",
        decided_at=utcnow() if is_self else None,
    )
    db.session.add(consent)
    db.session.flush()
    if not is_self and author is not None and author.status == "active":
        _email_consent_request(consent, author, item)
        signals.knowledge_consent_requested.send(consent=consent, item=item, actor=actor)
    return consent


# --- tokens and email -------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="knowledge-consent")


def consent_token(consent: KnowledgeConsent) -> str:
    return _serializer().dumps({"c": consent.id, "u": consent.user_id})


def consent_from_token(token: str) -> KnowledgeConsent | None:
    """The consent the token was made for, if it is genuine and not older than 30 days."""
    try:
        data = _serializer().loads(token, max_age=CONSENT_TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    consent = db.session.get(KnowledgeConsent, data.get("c"))
    if consent is None or consent.user_id != data.get("u"):
        return None
    return consent


def _email_consent_request(consent: KnowledgeConsent, author: User, item: KnowledgeItem) -> None:
    base = current_app.config["BASE_URL"]
    url = f"{base}/kennisbank/toestemming/t/{consent_token(consent)}"
    with force_locale(author.language or "nl"):
        subject = _("Mag je tekst in de kennisbank? „%(title)s”", title=item.title)
    queue_email(
        author.email,
        "knowledge/consent_request",
        subject=subject,
        context={
            "user": author,
            "title": item.title,
            "yes_url": url + "?answer=yes",
            "no_url": url + "?answer=no",
        },
        locale=author.language or "nl",
        kind="knowledge_consent",
    )


# --- answering ------------------------------------------------------------------------


def answer_consent(consent: KnowledgeConsent, user, *, granted: bool) -> None:
    """The quoted member says yes or no (and may change their mind until publication)."""
    if consent.user_id != getattr(user, "id", None):
        raise KnowledgeError("not yours")
    if consent.status == "removed" or consent.item.status in {"published", "archived"}:
        raise KnowledgeError("closed")
    consent.status = "granted" if granted else "refused"
    consent.decided_at = utcnow()
    db.session.flush()
    record_audit(
        user,
        "knowledge.consent_granted" if granted else "knowledge.consent_refused",
        "knowledge_item",
        consent.item_id,
        subject_user=user,
    )


def _significant_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if len(line.strip()) >= 20]


def mark_text_removed(consent: KnowledgeConsent, editor) -> None:
    """An editor took the quoted author's text out: their consent is no longer needed.
    Raises KnowledgeError while lines of that text are still in the item."""
    body = " ".join(consent.item.body_source.split())
    if any(line in body for line in _significant_lines(consent.quoted_text)):
        raise KnowledgeError("text still present")
    consent.status = "removed"
    consent.decided_at = utcnow()
    db.session.flush()
    record_audit(
        editor, "knowledge.consent_text_removed", "knowledge_item", consent.item_id,
        subject_user=consent.user,
    )  # fmt: skip


def consents_for(item: KnowledgeItem) -> list[KnowledgeConsent]:
    return list(
        db.session.scalars(
            select(KnowledgeConsent)
            .where(KnowledgeConsent.item_id == item.id)
            .order_by(KnowledgeConsent.id)
        )
    )


def open_consents_of(user) -> list[KnowledgeConsent]:
    """The consent requests a member still has to answer (or may still change)."""
    return list(
        db.session.scalars(
            select(KnowledgeConsent)
            .join(KnowledgeItem, KnowledgeItem.id == KnowledgeConsent.item_id)
            .where(
                KnowledgeConsent.user_id == user.id,
                KnowledgeConsent.status.in_(("pending", "granted", "refused")),
                KnowledgeItem.status.in_(("draft", "review")),
            )
            .order_by(KnowledgeConsent.id.desc())
        )
    )
