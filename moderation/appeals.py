"""Appeals against moderation decisions (DSA art. 20): filing and deciding.

A member contests a decision about them (a hidden post or thread, a suspension) through
the link in the statement of reasons. Another site moderator than the one who decided
looks at it again and upholds or reverses it; the member is told the outcome, and both
the appeal and its outcome are kept in the audit log. Services flush, the views commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import select

from auth.models import User
from core.audit import AuditEvent, record_audit
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.mail import queue_email
from forum.models import Post, Thread
from moderation import notices, services
from moderation.models import APPEALABLE_ACTIONS, Appeal
from moderation.policies import can_decide_appeal

#: What the member contests, as they are told it.
DECISION_LABELS = {
    "post.hide": _l("Je bericht is verborgen"),
    "thread.hide": _l("Je gesprek is verborgen"),
    "member.suspend": _l("Je account is geschorst"),
}


class AppealError(ValueError):
    """The appeal cannot be filed or decided (see the message)."""


@dataclass(frozen=True)
class AppealCase:
    """A decision a member may contest, with their appeal when they filed one."""

    member: User
    decision: AuditEvent
    appeal: Appeal | None

    @property
    def label(self) -> str:
        return str(DECISION_LABELS[self.decision.action])


def case_from_token(token: str) -> AppealCase | None:
    """The decision an appeal link is about; None for a forged, expired or stale link."""
    ids = notices.read_appeal_token(token)
    if ids is None:
        return None
    member = db.session.get(User, ids[0])
    decision = db.session.get(AuditEvent, ids[1])
    if member is None or member.is_deleted or decision is None:
        return None
    if decision.action not in APPEALABLE_ACTIONS or decision.subject_user_id != member.id:
        return None
    appeal = db.session.scalar(select(Appeal).where(Appeal.decision_id == decision.id))
    return AppealCase(member=member, decision=decision, appeal=appeal)


def file_appeal(case: AppealCase, statement: str) -> Appeal:
    """Record the member's appeal for the moderation queue. One appeal per decision."""
    statement = statement.strip()
    if not statement:
        raise AppealError(str(_l("Schrijf waarom je het niet eens bent met het besluit.")))
    if case.appeal is not None:
        raise AppealError(str(_l("Je hebt al bezwaar gemaakt tegen dit besluit.")))
    appeal = Appeal(
        decision_id=case.decision.id,
        appellant_id=case.member.id,
        decided_by_id=case.decision.actor_id,
        statement=statement,
        status="open",
    )
    db.session.add(appeal)
    db.session.flush()
    record_audit(case.member, "appeal.submit", "appeal", appeal.id, subject_user=case.member,
                 details={"decision_id": case.decision.id, "action": case.decision.action})  # fmt: skip
    return appeal


def _reverse(decision: AuditEvent, actor: User, note: str) -> None:
    """Undo the contested decision, through the same operations a moderator uses."""
    if decision.action == "post.hide":
        post = db.session.get(Post, decision.target_id)
        if post is not None and post.hidden_at is not None:
            services.restore_post(post, actor, note)
    elif decision.action == "thread.hide":
        thread = db.session.get(Thread, decision.target_id)
        if thread is not None and thread.hidden_at is not None:
            services.restore_thread(thread, actor, note)
    elif decision.action == "member.suspend":
        member = db.session.get(User, decision.target_id)
        if member is not None and member.status == "suspended":
            services.lift_suspension(member, actor, note)


def decide_appeal(appeal: Appeal, actor: User, *, reverse: bool, note: str) -> None:
    """Uphold or reverse the contested decision; tell the member why; log the outcome.

    Refused when `actor` took the decision themselves (or filed the appeal): an appeal
    is looked at by someone else (DSA art. 20(6)).
    """
    if not can_decide_appeal(actor, appeal):
        raise AppealError(str(_l("Een andere moderator moet over dit bezwaar beslissen.")))
    if not appeal.is_open:
        raise AppealError(str(_l("Over dit bezwaar is al beslist.")))
    if not note.strip():
        raise AppealError(str(_l("Geef een toelichting. Het lid krijgt deze te zien.")))
    decision = appeal.decision
    if reverse:
        _reverse(decision, actor, note)
    appeal.status = "reversed" if reverse else "upheld"
    appeal.handled_by_id = actor.id
    appeal.handled_at = utcnow()
    appeal.outcome_note = note
    record_audit(actor, "appeal.reverse" if reverse else "appeal.uphold", "appeal", appeal.id,
                 subject_user=appeal.appellant, reason=note,
                 details={"decision_id": decision.id, "action": decision.action})  # fmt: skip
    db.session.flush()
    _tell_appellant(appeal, actor)


def _tell_appellant(appeal: Appeal, actor: User) -> None:
    member = appeal.appellant
    if not notices.can_be_told(member):
        return
    path = notices.appeal_path(appeal.decision)
    with force_locale(member.language or "nl"):
        if appeal.status == "reversed":
            title = _("Je bezwaar is toegekend: het besluit is teruggedraaid")
        else:
            title = _("Je bezwaar is afgewezen: het besluit blijft staan")
    notices.notice_in_app(member, actor, title=title, url=path, text=appeal.outcome_note)
    queue_email(
        member.email,
        "moderation/appeal_decided",
        subject=_l("Besluit over je bezwaar"),
        context={
            "user": member,
            "decision_label": DECISION_LABELS[appeal.decision.action],
            "is_reversed": appeal.status == "reversed",
            "note": appeal.outcome_note,
            "appeal_url": notices.absolute(path),
        },
        locale=member.language or "nl",
    )
