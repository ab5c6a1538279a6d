"""Routes for appeals: the member's form (reached by the signed link in the statement of
reasons, so a suspended member can use it too) and the moderators' side of the queue."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from moderation import appeals, forms, notices, policies, queries
from moderation.guards import moderation_area_required
from moderation.models import Appeal

bp = Blueprint("appeals", __name__)


def _case(token: str) -> appeals.AppealCase:
    case = appeals.case_from_token(token)
    if case is None:
        abort(404)
    return case


def _appeal_page(case: appeals.AppealCase, form, status: int = 200):
    return render_template("moderation/appeal.html", case=case, form=form), status


@bp.get("/appeal/<token>")
def appeal(token: str):
    return _appeal_page(_case(token), forms.AppealForm())


@bp.post("/appeal/<token>")
def file_appeal(token: str):
    case = _case(token)
    form = forms.AppealForm()
    if not form.validate_on_submit():
        return _appeal_page(case, form, 400)
    try:
        appeals.file_appeal(case, form.statement.data)
    except appeals.AppealError as error:
        form.statement.errors.append(str(error))
        return _appeal_page(case, form, 400)
    db.session.commit()
    flash(_("Je bezwaar is ontvangen. Een andere moderator bekijkt het besluit opnieuw."),
          "success")  # fmt: skip
    return redirect(url_for("appeals.appeal", token=token))


# --- the moderators' side -------------------------------------------------------------


@bp.get("/moderation/appeals")
@moderation_area_required
def list_appeals():
    require(policies.can_handle_appeals(current_user))
    decided = request.args.get("status") == "decided"
    return render_template(
        "moderation/appeals.html",
        decided=decided,
        counts=queries.appeal_counts(),
        appeals=queries.appeals_page(decided, request.args.get("page", 1, type=int)),
    )


def _handled_appeal(appeal_id: int) -> Appeal:
    require(policies.can_handle_appeals(current_user))
    item = db.session.get(Appeal, appeal_id)
    if item is None:
        abort(404)
    return item


def _show(item: Appeal, form, status: int = 200):
    return render_template(
        "moderation/appeal_decide.html",
        appeal=item,
        label=appeals.DECISION_LABELS[item.decision.action],
        can_decide=policies.can_decide_appeal(current_user, item),
        form=form,
    ), status


@bp.get("/moderation/appeals/<int:appeal_id>")
@moderation_area_required
def show_appeal(appeal_id: int):
    return _show(_handled_appeal(appeal_id), forms.AppealDecisionForm())


@bp.post("/moderation/appeals/<int:appeal_id>/decide")
@moderation_area_required
def decide_appeal(appeal_id: int):
    item = _handled_appeal(appeal_id)
    require(policies.can_decide_appeal(current_user, item))
    form = forms.AppealDecisionForm()
    if not form.validate_on_submit():
        return _show(item, form, 400)
    try:
        appeals.decide_appeal(item, current_user._get_current_object(),
                              reverse=form.outcome.data == "reversed", note=form.note.data)  # fmt: skip
    except appeals.AppealError as error:
        form.note.errors.append(str(error))
        return _show(item, form, 400)
    db.session.commit()
    flash(_("Het besluit over het bezwaar is opgeslagen. Het lid krijgt bericht."), "success")
    return redirect(url_for("appeals.list_appeals"))


def suspension_appeal_path(user) -> str | None:
    """For the login page of a suspended member: where to contest the suspension."""
    decision = queries.latest_decision_about(user.id, "member.suspend")
    return notices.appeal_path(decision) if decision is not None else None
