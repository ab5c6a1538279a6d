"""Telling members about moderation: statements of reasons, the outcome of a report and
the link to contest a decision (DSA art. 16, 17, 20).

In-app notices go out through `core.signals.member_notice` (the notifications feature
listens); emails are service messages through the outbox, in the member's language.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from auth.models import User
from core import signals
from core.audit import AuditEvent
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.mail import queue_email
from moderation.models import Report

#: A decision can be contested for six months (DSA art. 20(1)).
APPEAL_WINDOW_SECONDS = 183 * 24 * 3600


def can_be_told(user: User | None) -> bool:
    return user is not None and user.email is not None and not user.is_deleted


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"] + path


# --- the appeal link ------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="appeal")


def appeal_path(decision: AuditEvent) -> str:
    """The site path of the appeal form for the member a decision is about.

    A signed token (member, decision) rather than a login: a suspended member cannot log
    in, and must still be able to contest the suspension."""
    token = _serializer().dumps([decision.subject_user_id, decision.id])
    return f"/appeal/{token}"


def appeal_url(decision: AuditEvent) -> str:
    return absolute(appeal_path(decision))


def read_appeal_token(token: str) -> tuple[int, int] | None:
    """(member id, decision id), or None when the token is forged or too old."""
    try:
        user_id, decision_id = _serializer().loads(token, max_age=APPEAL_WINDOW_SECONDS)
    except (BadSignature, SignatureExpired, TypeError, ValueError):
        return None
    return int(user_id), int(decision_id)


# --- in the app -----------------------------------------------------------------------


def notice_in_app(user: User, actor: User | None, *, title: str, url: str, text: str = "",
                  thread_id: int | None = None) -> None:  # fmt: skip
    signals.member_notice.send(user=user, title=title, text=text, url=url, actor=actor,
                               thread_id=thread_id)  # fmt: skip


# --- the member who reported ----------------------------------------------------------

#: What was done, as the reporter is told it.
OUTCOMES = {
    "post.hide": _l("Het bericht is verborgen."),
    "thread.hide": _l("Het gesprek is verborgen."),
    "resolved": _l("De moderator heeft maatregelen genomen."),
    "dismissed": _l("De moderator vond dat het bericht niet tegen de huisregels ingaat."),
}


def tell_reporters(reports: list[Report], actor: User | None, *, outcome: str,
                   reason: str = "") -> None:  # fmt: skip
    """Tell each member who reported (once, whatever the number of their reports) whether
    action was taken and why, in the app and by email, in their own language.

    `outcome` is a key of OUTCOMES; "dismissed" means no action was taken.
    """
    told: set[int] = set()
    for report in reports:
        reporter = report.reporter
        if not can_be_told(reporter) or reporter.id in told:
            continue
        if reporter.status not in {"active", "suspended"}:
            continue
        told.add(reporter.id)
        thread = report.post.thread
        action_taken = outcome != "dismissed"
        with force_locale(reporter.language or "nl"):
            if action_taken:
                title = _("Je melding over „%(title)s”: we hebben actie ondernomen",
                          title=thread.title)  # fmt: skip
            else:
                title = _("Je melding over „%(title)s”: we ondernemen geen actie",
                          title=thread.title)  # fmt: skip
            what = str(OUTCOMES[outcome])
        text = f"{what} {reason}".strip()
        notice_in_app(reporter, actor, title=title, url=f"/threads/{thread.id}", text=text,
                      thread_id=thread.id)  # fmt: skip
        queue_email(
            reporter.email,
            "moderation/report_outcome",
            subject=_l("Je melding is behandeld"),
            context={
                "user": reporter,
                "thread_title": thread.title,
                "action_taken": action_taken,
                "outcome": OUTCOMES[outcome],
                "reason": reason,
                "reason_label": report.reason_label,
                "thread_url": absolute(f"/threads/{thread.id}"),
            },
            locale=reporter.language or "nl",
        )
