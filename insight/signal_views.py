"""Marking a thread as a signal from the member's region (`/threads/<id>/signal`), and the
signal block on the forum's thread page (a template global, so forum needs no import)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from auth.guards import member_required
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from core.privacy.guard import highlight
from forum import policies as forum_policies
from forum.queries import get_thread, register_viewer_column
from groups.queries import membership_for
from insight import policies, queries
from insight.blueprint import bp
from insight.forms import SignalForm
from insight.models import Signal
from insight.services import SignalError, SignalPrivacyError, mark_signal, withdraw_signal


def _thread_or_404(thread_id: int):
    thread = get_thread(thread_id)
    if thread is None:
        abort(404)
    membership = membership_for(current_user, thread.group)
    may_read = forum_policies.can_read_thread(current_user, thread, membership)
    require(may_read, hide=True)
    require(policies.can_signal(current_user, thread, may_read))
    return thread


@bp.route("/threads/<int:thread_id>/signal", methods=["GET", "POST"])
@member_required
def signal_thread(thread_id: int):
    thread = _thread_or_404(thread_id)
    existing = queries.signal_of(thread.id, current_user.id)
    form = SignalForm()
    privacy = None
    if existing is None and form.validate_on_submit():
        try:
            created = mark_signal(
                thread, current_user, form.note.data, privacy_checked=form.privacy_checked.data
            )
        except SignalPrivacyError as error:
            privacy = {
                "is_blocked": error.is_blocked,
                "labels": error.labels,
                "body": highlight(form.note.data or "", error.scan.findings),
            }
        except SignalError:
            form.note.errors = [_("Schrijf in één zin waarom dit een signaal uit je regio is.")]
        else:
            db.session.commit()
            if created is None:
                flash(_("Je had dit gesprek al als signaal gemarkeerd."), "success")
            else:
                flash(_("Bedankt: je signaal telt mee voor je regio."), "success")
            return redirect(url_for("forum.show_thread", thread_id=thread.id))
    status = 200 if not (form.errors or privacy) else 400
    return render_template(
        "insight/signal.html", thread=thread, form=form, existing=existing, privacy=privacy
    ), status


@bp.post("/threads/<int:thread_id>/signal/withdraw")
@member_required
def withdraw(thread_id: int):
    thread = _thread_or_404(thread_id)
    if withdraw_signal(thread, current_user):
        db.session.commit()
        flash(_("Je signaal is ingetrokken."), "success")
    return redirect(url_for("forum.show_thread", thread_id=thread.id))


def thread_signal(thread, view=None) -> dict:
    """For the thread page: may the viewer mark it, and whether they did (loaded with the
    page's viewer state when it is given). The page has already checked that the viewer
    reads the thread."""
    if not policies.can_signal(current_user, thread, True):
        return {"may_signal": False, "signal": None}
    if view is not None and "insight_signal" in view.extras:
        return {"may_signal": True, "signal": view.extras["insight_signal"]}
    return {"may_signal": True, "signal": queries.signal_of(thread.id, current_user.id)}


def _own_signal(thread_id, user_id):
    return (
        select(Signal.id)
        .where(Signal.thread_id == thread_id, Signal.user_id == user_id)
        .scalar_subquery()
    )


def init_app(app) -> None:
    app.jinja_env.globals["insight_thread_signal"] = thread_signal
    register_viewer_column(app, "insight_signal", _own_signal)
