"""Moderation operations: reports, hiding, redaction, locking, suspension.

Every operation records an audit entry, fires the matching signal so search and
notifications can react, and flushes; the view commits. Authors and members are told
why (a statement of reasons) by email through the outbox and, when the notifications
feature offers it, in the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from auth.models import User
from core import signals
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.i18n import end_of_day_utc
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.mail import queue_email
from core.text import render_markdown
from forum.models import Post, PostRevision, Thread
from forum.services import recount_thread
from moderation import notices
from moderation.models import REPORT_REASONS, Report

REDACTION_MARK = "[verwijderd door moderator]"


class ModerationError(ValueError):
    """The requested action does not make sense (e.g. nothing to redact)."""


@dataclass(frozen=True)
class NewReport:
    reason: str
    note: str = ""


def report_post(post: Post, reporter: User, data: NewReport) -> Report:
    """File a report about a post for the moderation queue."""
    if data.reason not in REPORT_REASONS:
        raise ModerationError("unknown reason")
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=data.reason, note=data.note)
    db.session.add(report)
    db.session.flush()
    return report


def resolve_report(report: Report, actor: User, *, status: str, note: str = "") -> None:
    """Close a report as resolved (action taken) or dismissed (no action needed)."""
    if status not in {"resolved", "dismissed"}:
        raise ModerationError("unknown status")
    report.status = status
    report.handled_by_id = actor.id
    report.handled_at = utcnow()
    report.resolution_note = note
    action = "report.resolve" if status == "resolved" else "report.dismiss"
    record_audit(actor, action, "report", report.id, reason=note,
                 details={"post_id": report.post_id})  # fmt: skip
    notices.tell_reporters([report], actor, outcome=status, reason=note)
    db.session.flush()


def _close_open_reports(post: Post, actor: User, note: str, outcome: str) -> None:
    """Close the open reports about a post as resolved and tell each reporter why."""
    reports = list(
        db.session.scalars(select(Report).where(Report.post_id == post.id, Report.status == "open"))
    )
    now = utcnow()
    for report in reports:
        report.status, report.handled_by_id, report.handled_at = "resolved", actor.id, now
        report.resolution_note = note
    notices.tell_reporters(reports, actor, outcome=outcome, reason=note)


# --- telling members why ------------------------------------------------------------


def thread_url(thread_id: int) -> str:
    """The absolute address of a thread page (a public contract: /threads/<id>)."""
    return f"{current_app.config['BASE_URL']}/threads/{thread_id}"


_can_be_told = notices.can_be_told


def _tell_author_post_hidden(post: Post, reason: str, decision) -> None:
    author = post.author
    if not _can_be_told(author):
        return
    # The in-app statement of reasons comes from the notifications feature, which
    # listens to `post_moderated`; this is the email.
    url = thread_url(post.thread_id)
    queue_email(
        author.email,
        "moderation/post_hidden",
        subject=_l("Je bericht is verborgen"),
        context={
            "user": author,
            "post": post,
            "reason": reason,
            "thread_url": url,
            "appeal_url": notices.appeal_url(decision),
        },
        locale=author.language,
    )


# --- posts --------------------------------------------------------------------------


def hide_post(post: Post, actor: User, reason: str) -> None:
    """Hide a post from everyone but moderators; its author gets the statement of reasons.

    Open reports about the post are closed as resolved.
    """
    if not reason.strip():
        raise ModerationError("a reason is required")
    post.hidden_at = utcnow()
    post.hidden_reason = reason
    decision = record_audit(actor, "post.hide", "post", post.id, subject_user=post.author,
                            reason=reason)  # fmt: skip
    _close_open_reports(post, actor, reason, "post.hide")
    _tell_author_post_hidden(post, reason, decision)
    db.session.flush()
    recount_thread(post.thread)  # Reply counts and "last post" show only what is shown.
    signals.post_moderated.send(
        post=post, action="hide", actor=actor, reason=reason,
        appeal_path=notices.appeal_path(decision),
    )  # fmt: skip


def restore_post(post: Post, actor: User, reason: str = "") -> None:
    """Show a hidden post again."""
    post.hidden_at = None
    post.hidden_reason = None
    record_audit(actor, "post.restore", "post", post.id, subject_user=post.author, reason=reason)
    db.session.flush()
    recount_thread(post.thread)
    signals.post_moderated.send(post=post, action="restore", actor=actor, reason=reason)


@dataclass(frozen=True)
class Redaction:
    reason: str
    remove_text: str = ""
    replacement: str = ""


def redact_post(post: Post, actor: User, redaction: Redaction) -> None:
    """Remove part of a post, and the same text from every earlier version.

    With `remove_text`, each occurrence in the post and its revisions becomes a marker.
    With a whole `replacement` body the removed text is not known, so the earlier
    versions are replaced by the marker. The removed text is never written to the log.
    """
    remove, replacement = redaction.remove_text, redaction.replacement.strip()
    if not redaction.reason.strip():
        raise ModerationError("a reason is required")
    if not remove and not replacement:
        raise ModerationError("nothing to redact")
    if remove and remove not in post.body_source and not replacement:
        raise ModerationError("text not found")
    source = replacement or post.body_source.replace(remove, REDACTION_MARK)
    if remove:
        source = source.replace(remove, REDACTION_MARK)
    post.body_source = source
    post.body_html = str(render_markdown(source))
    revisions = db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id))
    for revision in revisions:
        if remove:
            revision.body_source = revision.body_source.replace(remove, REDACTION_MARK)
        else:
            revision.body_source = REDACTION_MARK
    record_audit(actor, "post.redact", "post", post.id, subject_user=post.author,
                 reason=redaction.reason, details={"mode": "text" if remove else "replace"})  # fmt: skip
    db.session.flush()
    signals.post_edited.send(post=post, editor=actor)
    signals.post_moderated.send(post=post, action="redact", actor=actor, reason=redaction.reason)


# --- threads ------------------------------------------------------------------------


def _thread_action(thread: Thread, actor: User, action: str, reason: str):
    decision = record_audit(actor, f"thread.{action}", "thread", thread.id,
                            subject_user=thread.author, reason=reason)  # fmt: skip
    db.session.flush()
    signals.thread_changed.send(thread=thread, action=action, actor=actor, reason=reason)
    return decision


def lock_thread(thread: Thread, actor: User, reason: str = "") -> None:
    """No new replies until unlocked."""
    thread.is_locked = True
    _thread_action(thread, actor, "lock", reason)


def unlock_thread(thread: Thread, actor: User, reason: str = "") -> None:
    thread.is_locked = False
    _thread_action(thread, actor, "unlock", reason)


def hide_thread(thread: Thread, actor: User, reason: str) -> None:
    """Hide a whole thread from listings, search, digests and its page."""
    if not reason.strip():
        raise ModerationError("a reason is required")
    thread.hidden_at = utcnow()
    if thread.first_post is not None:
        _close_open_reports(thread.first_post, actor, reason, "thread.hide")
    decision = _thread_action(thread, actor, "hide", reason)
    author = thread.author
    if _can_be_told(author):
        with force_locale(author.language or "nl"):
            title = _("Je gesprek „%(title)s” is verborgen", title=thread.title)
        # The thread itself is out of the author's sight now; the appeal page shows the
        # decision and its reasons.
        notices.notice_in_app(author, actor, title=title, url=notices.appeal_path(decision),
                              text=reason, thread_id=thread.id)  # fmt: skip
        queue_email(
            author.email,
            "moderation/thread_hidden",
            subject=_l("Je gesprek is verborgen"),
            context={
                "user": author,
                "thread": thread,
                "reason": reason,
                "appeal_url": notices.appeal_url(decision),
            },
            locale=author.language,
        )


def restore_thread(thread: Thread, actor: User, reason: str = "") -> None:
    thread.hidden_at = None
    _thread_action(thread, actor, "restore", reason)


# --- members ------------------------------------------------------------------------


def suspend_member(member: User, actor: User, reason: str, last_day: date | None,
                   zone: str | None = None) -> None:  # fmt: skip
    """Suspend an account: every session ends now; the reason shows at login.

    `last_day` is the last day of the suspension as the moderator chose it (in `zone`,
    theirs): it is kept as chosen for every page, email and log line ("tot en met 31
    december 2026"), and the suspension ends when that day ends in that zone.
    """
    if not reason.strip():
        raise ModerationError("a reason is required")
    until = end_of_day_utc(last_day, zone) if last_day is not None else None
    if until is not None and until <= utcnow():
        raise ModerationError("the end date lies in the past")
    member.status = "suspended"
    member.suspended_reason = reason
    member.suspended_until = until
    member.suspended_through = last_day
    member.end_all_sessions()
    decision = record_audit(
        actor, "member.suspend", "user", member.id, subject_user=member, reason=reason,
        details={"until": until.isoformat() if until else None,
                 "last_day": last_day.isoformat() if last_day else None},
    )  # fmt: skip
    if _can_be_told(member):
        queue_email(
            member.email,
            "moderation/member_suspended",
            subject=_l("Je account is geschorst"),
            context={
                "user": member,
                "reason": reason,
                "last_day": last_day,
                "appeal_url": notices.appeal_url(decision),
            },
            locale=member.language,
        )
    db.session.flush()
    signals.member_changed.send(user=member, action="suspend", actor=actor)


def lift_suspension(member: User, actor: User, reason: str = "") -> None:
    """Reinstate a suspended account."""
    if member.status != "suspended":
        raise ModerationError("not suspended")
    member.status = "active"
    member.suspended_reason = None
    member.suspended_until = None
    member.suspended_through = None
    record_audit(actor, "member.unsuspend", "user", member.id, subject_user=member, reason=reason)
    db.session.flush()
    signals.member_changed.send(user=member, action="unsuspend", actor=actor)
