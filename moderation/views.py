"""Routes: reporting a post, the moderation queue and its actions, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from auth.guards import admin_required, member_required
from auth.models import User
from core.extensions import db
from core.i18n import end_of_day_utc
from core.i18n import gettext as _
from core.permissions import require
from forum.models import Post, Thread
from groups.queries import membership_for
from moderation import appeal_views, audit_view, forms, policies, queries, services
from moderation.guards import moderation_area_required
from moderation.models import REPORT_STATUS_LABELS, REPORT_STATUSES, Report

bp = Blueprint("moderation", __name__)


def _me() -> User:
    return current_user._get_current_object()


def _safe_next(default: str) -> str:
    target = request.form.get("next") or request.args.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# --- reporting ----------------------------------------------------------------------


def _readable_post(post_id: int) -> Post:
    post = queries.post_for_moderation(post_id)
    if post is None or post.is_removed or not post.thread.is_visible:
        abort(404)
    group = post.thread.group
    require(policies.can_report_post(_me(), group, membership_for(_me(), group)), hide=True)
    return post


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@member_required
def report_post(post_id: int):
    post = _readable_post(post_id)
    form = forms.ReportForm()
    if form.validate_on_submit():
        report = services.report_post(
            post, _me(), services.NewReport(reason=form.reason.data, note=form.note.data or "")
        )
        db.session.commit()
        flash(_("Dank je. Je melding is verstuurd naar de moderatoren."), "success")
        return redirect(url_for("moderation.report_sent", report_id=report.id))
    status = 400 if request.method == "POST" else 200
    return render_template("moderation/report.html", form=form, post=post), status


@bp.get("/reports/<int:report_id>/sent")
@member_required
def report_sent(report_id: int):
    report = db.session.get(Report, report_id)
    require(report is not None and report.reporter_id == current_user.id, hide=True)
    return render_template("moderation/report_sent.html", report=report)


# --- the queue ----------------------------------------------------------------------


@bp.get("/moderation")
@moderation_area_required
def queue():
    me = _me()
    require(policies.can_use_queue(me, queries.coordinates_any_group(me)))
    status = request.args.get("status", "open")
    if status not in REPORT_STATUSES:
        status = "open"
    page = request.args.get("page", 1, type=int)
    return render_template(
        "moderation/queue.html",
        status=status,
        statuses=[(key, REPORT_STATUS_LABELS[key]) for key in REPORT_STATUSES],
        counts=queries.queue_counts(me),
        appeal_counts=queries.appeal_counts() if policies.can_handle_appeals(me) else None,
        reports=queries.queue_reports(me, status, page),
        resolve_form=forms.ResolveForm(),
    )


def _moderatable_post(post_id: int) -> Post:
    post = queries.post_for_moderation(post_id)
    if post is None:
        abort(404)
    group = post.thread.group
    require(policies.can_moderate_post(_me(), group, membership_for(_me(), group)), hide=True)
    return post


def _moderatable_thread(thread_id: int) -> Thread:
    thread = queries.thread_with_group(thread_id)
    if thread is None:
        abort(404)
    group = thread.group
    require(policies.can_moderate_post(_me(), group, membership_for(_me(), group)), hide=True)
    return thread


def _post_page(post: Post, status: int = 200, **form_overrides):
    page_forms = {
        "hide_form": forms.ReasonForm(prefix="hide"),
        "restore_form": forms.OptionalReasonForm(prefix="restore"),
        "redact_form": forms.RedactForm(prefix="redact"),
        "thread_form": forms.OptionalReasonForm(prefix="thread"),
        "hide_thread_form": forms.ReasonForm(prefix="hidethread"),
        "resolve_form": forms.ResolveForm(),
    }
    page_forms.update(form_overrides)
    return render_template(
        "moderation/post.html",
        post=post,
        thread=post.thread,
        reports=queries.reports_for_post(post.id),
        can_suspend=post.author is not None and policies.can_suspend_member(_me(), post.author),
        **page_forms,
    ), status


@bp.get("/moderation/posts/<int:post_id>")
@moderation_area_required
def moderate_post(post_id: int):
    return _post_page(_moderatable_post(post_id))


@bp.post("/moderation/posts/<int:post_id>/hide")
@moderation_area_required
def hide_post(post_id: int):
    post = _moderatable_post(post_id)
    form = forms.ReasonForm(prefix="hide")
    if not form.validate_on_submit():
        return _post_page(post, 400, hide_form=form)
    services.hide_post(post, _me(), form.reason.data)
    db.session.commit()
    flash(_("Het bericht is verborgen. De schrijver krijgt de reden te zien."), "success")
    return redirect(_safe_next(url_for("moderation.moderate_post", post_id=post.id)))


@bp.post("/moderation/posts/<int:post_id>/restore")
@moderation_area_required
def restore_post(post_id: int):
    post = _moderatable_post(post_id)
    form = forms.OptionalReasonForm(prefix="restore")
    if not form.validate_on_submit():
        return _post_page(post, 400, restore_form=form)
    services.restore_post(post, _me(), form.reason.data or "")
    db.session.commit()
    flash(_("Het bericht is weer zichtbaar."), "success")
    return redirect(url_for("moderation.moderate_post", post_id=post.id))


@bp.post("/moderation/posts/<int:post_id>/redact")
@moderation_area_required
def redact_post(post_id: int):
    post = _moderatable_post(post_id)
    form = forms.RedactForm(prefix="redact")
    if form.validate_on_submit():
        try:
            services.redact_post(
                post,
                _me(),
                services.Redaction(
                    reason=form.reason.data,
                    remove_text=form.remove_text.data or "",
                    replacement=form.replacement.data or "",
                ),
            )
        except services.ModerationError:
            form.remove_text.errors.append(_("Deze tekst staat niet in het bericht."))
        else:
            db.session.commit()
            flash(_("De tekst is verwijderd, ook uit de eerdere versies."), "success")
            return redirect(url_for("moderation.moderate_post", post_id=post.id))
    return _post_page(post, 400, redact_form=form)


def _thread_action(thread_id: int, action: str):
    thread = _moderatable_thread(thread_id)
    needs_reason = action == "hide"
    form = (
        forms.ReasonForm(prefix="hidethread")
        if needs_reason
        else forms.OptionalReasonForm(prefix="thread")
    )
    back = _safe_next(url_for("moderation.queue"))
    if not form.validate_on_submit():
        flash(_("Geef een reden op. Het lid krijgt deze te zien."), "error")
        return redirect(back)
    reason = form.reason.data or ""
    operation = {
        "lock": services.lock_thread,
        "unlock": services.unlock_thread,
        "hide": services.hide_thread,
        "restore": services.restore_thread,
    }[action]
    operation(thread, _me(), reason)
    db.session.commit()
    messages = {
        "lock": _("Het gesprek is gesloten voor nieuwe reacties."),
        "unlock": _("Het gesprek is weer open voor reacties."),
        "hide": _("Het gesprek is verborgen."),
        "restore": _("Het gesprek is weer zichtbaar."),
    }
    flash(messages[action], "success")
    return redirect(back)


@bp.post("/moderation/threads/<int:thread_id>/lock")
@moderation_area_required
def lock_thread(thread_id: int):
    return _thread_action(thread_id, "lock")


@bp.post("/moderation/threads/<int:thread_id>/unlock")
@moderation_area_required
def unlock_thread(thread_id: int):
    return _thread_action(thread_id, "unlock")


@bp.post("/moderation/threads/<int:thread_id>/hide")
@moderation_area_required
def hide_thread(thread_id: int):
    return _thread_action(thread_id, "hide")


@bp.post("/moderation/threads/<int:thread_id>/restore")
@moderation_area_required
def restore_thread(thread_id: int):
    return _thread_action(thread_id, "restore")


@bp.post("/moderation/reports/<int:report_id>/resolve")
@moderation_area_required
def resolve_report(report_id: int):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    _moderatable_post(report.post_id)
    form = forms.ResolveForm()
    if form.validate_on_submit():
        services.resolve_report(report, _me(), status=form.decision.data, note=form.note.data or "")
        db.session.commit()
        flash(_("De melding is gesloten."), "success")
    else:
        flash(_("Kies een besluit."), "error")
    return redirect(_safe_next(url_for("moderation.queue")))


# --- members ------------------------------------------------------------------------


def _suspendable_member(user_id: int) -> User:
    member = db.session.get(User, user_id)
    if member is None or member.is_deleted:
        abort(404)
    require(policies.can_suspend_member(_me(), member))
    return member


@bp.route("/moderation/members/<int:user_id>", methods=["GET"])
@moderation_area_required
def moderate_member(user_id: int):
    member = _suspendable_member(user_id)
    return render_template(
        "moderation/member.html",
        member=member,
        suspend_form=forms.SuspendForm(),
        lift_form=forms.OptionalReasonForm(prefix="lift"),
    )


@bp.post("/moderation/members/<int:user_id>/suspend")
@moderation_area_required
def suspend_member(user_id: int):
    member = _suspendable_member(user_id)
    form = forms.SuspendForm()
    if form.validate_on_submit():
        try:
            services.suspend_member(member, _me(), form.reason.data, form.until.data,
                                    current_user.timezone)  # fmt: skip
        except services.ModerationError:
            form.until.errors.append(_("Kies een datum in de toekomst."))
        else:
            db.session.commit()
            flash(_("Het account is geschorst. Het lid is overal uitgelogd."), "success")
            return redirect(url_for("moderation.moderate_member", user_id=member.id))
    return render_template(
        "moderation/member.html",
        member=member,
        suspend_form=form,
        lift_form=forms.OptionalReasonForm(prefix="lift"),
    ), 400


@bp.post("/moderation/members/<int:user_id>/lift")
@moderation_area_required
def lift_suspension(user_id: int):
    member = _suspendable_member(user_id)
    form = forms.OptionalReasonForm(prefix="lift")
    if form.validate_on_submit() and member.status == "suspended":
        services.lift_suspension(member, _me(), form.reason.data or "")
        db.session.commit()
        flash(_("De schorsing is opgeheven."), "success")
    return redirect(url_for("moderation.moderate_member", user_id=member.id))


# --- the audit log ------------------------------------------------------------------


def _day_start_utc(day, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@bp.get("/moderation/audit")
@admin_required
def audit():
    require(policies.can_view_audit_log(current_user))
    form = forms.AuditFilterForm(request.args)
    actions = queries.audit_actions()
    actors = queries.audit_actors()
    form.action.choices = [("", _("Alle acties"))] + [
        (a, audit_view.action_label(a)) for a in actions
    ]
    form.actor.choices = [("", _("Iedereen"))] + [(str(u.id), u.public_name) for u in actors]
    form.validate()
    zone = current_user.timezone or "Europe/Amsterdam"
    actor = request.args.get("actor", "")
    filters = queries.AuditFilter(
        action=request.args.get("action", ""),
        actor_id=int(actor) if actor.isdigit() else None,
        date_from=_day_start_utc(form.date_from.data, zone) if form.date_from.data else None,
        date_to=end_of_day_utc(form.date_to.data, zone) if form.date_to.data else None,
    )
    page = request.args.get("page", 1, type=int)
    filter_args = {k: v for k, v in request.args.items() if k != "page" and v}
    events = queries.audit_events(filters, page)
    return render_template(
        "moderation/audit.html",
        form=form,
        events=events,
        subjects=audit_view.subjects_for(list(events.items)),
        filter_args=filter_args,
    )


def init_app(app) -> None:
    app.register_blueprint(appeal_views.bp)
    app.jinja_env.globals.update(
        suspension_appeal_path=appeal_views.suspension_appeal_path,
        audit_action_label=audit_view.action_label,
        audit_subject=audit_view.subject_of,
    )
