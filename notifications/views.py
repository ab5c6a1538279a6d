"""Preferences, the notification list and one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from auth.current import register_user_column
from auth.guards import member_required
from auth.models import User
from core.extensions import csrf, db
from core.i18n import gettext as _
from core.mail import register_preferences
from notifications import emails, queries
from notifications.forms import PreferencesForm
from notifications.policies import can_use_notifications
from notifications.preferences import get_preferences, switch_off, wants_email
from notifications.services import connect_receivers, mark_all_read, set_group_mutes
from notifications.unsubscribe import read_token, unsubscribe_url

bp = Blueprint("notifications", __name__)

TOGGLES = (
    "email_replies",
    "email_mentions",
    "email_answers",
    "email_event_changes",
    "email_reminders",
)


@bp.route("/account/notifications", methods=["GET", "POST"])
@member_required
def preferences():
    # The row is created on the first save; until then the page shows the defaults.
    prefs = get_preferences(current_user, create=request.method == "POST")
    groups = queries.my_groups(current_user.id)
    form = PreferencesForm(obj=prefs if request.method == "GET" else None)
    form.muted_groups.choices = [(group.id, group.label) for group in groups]
    if request.method == "GET":
        form.muted_groups.data = sorted(queries.muted_group_ids(current_user.id))
    if form.validate_on_submit():
        prefs.digest_frequency = form.digest_frequency.data
        prefs.digest_weekday = form.digest_weekday.data
        prefs.digest_hour = form.digest_hour.data
        for name in TOGGLES:
            setattr(prefs, name, bool(getattr(form, name).data))
        set_group_mutes(
            current_user.id, set(form.muted_groups.data or ()), {group.id for group in groups}
        )
        db.session.commit()
        flash(_("Je voorkeuren zijn opgeslagen."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html", form=form, timezone=current_user.timezone
    )


@bp.route("/notifications")
@member_required
def list_notifications():
    items = queries.recent_notifications(current_user.id)
    return render_template("notifications/list.html", notifications=items)


@bp.route("/notifications/read", methods=["POST"])
@member_required
def mark_read():
    mark_all_read(current_user.id)
    db.session.commit()
    flash(_("Alle meldingen zijn gelezen."), "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """RFC 8058 one-click: mail clients POST here without a session or CSRF token."""
    found = read_token(token)
    user = db.session.get(User, found.user_id) if found else None
    if found is None or user is None or user.is_deleted:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    if request.method == "POST":
        switch_off(user, found.stream)
        db.session.commit()
        return render_template("notifications/unsubscribed.html", stream=found.stream)
    return render_template("notifications/unsubscribe.html", stream=found.stream, token=token)


def _unread_notifications() -> int:
    if "unread_notifications" not in g:
        if not can_use_notifications(current_user):
            g.unread_notifications = 0
        elif "unread_notifications" in current_user.loaded_columns:
            g.unread_notifications = current_user.loaded_columns["unread_notifications"]
        else:
            g.unread_notifications = queries.unread_count(current_user.id)
    return g.unread_notifications


def init_app(app) -> None:
    connect_receivers()
    register_preferences(wants_email, unsubscribe_url)
    # The nav's count comes with the member's own load: no statement of its own.
    register_user_column(app, "unread_notifications", queries.unread_count_column)
    emails.init_app(app)

    @app.context_processor
    def inject_unread_notifications():
        # Lazy: the count is queried only when a template uses it, once per request.
        return {"unread_notifications": _LazyCount()}


class _LazyCount:
    def __int__(self) -> int:
        return _unread_notifications()

    def __bool__(self) -> bool:
        return _unread_notifications() > 0

    def __str__(self) -> str:
        return str(_unread_notifications())

    def __html__(self) -> str:
        return str(self)
