"""Routes of the advice desk (/advies). Thin: load, check the policy, call a service,
commit once, redirect. A question is 404 for everyone who may not read it."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_login import current_user

from advice import faq, policies, queries, retention, services, sparring
from advice.errors import AdviceError
from advice.forms import (
    CASE_TEMPLATE,
    AskForm,
    CloseForm,
    ConsentForm,
    HandOverForm,
    MessageForm,
    PoolForm,
    RateForm,
)
from auth.guards import member_required
from auth.models import User
from core import signals
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from core.privacy.guard import highlight
from knowledge import faq as knowledge_faq
from knowledge import policies as knowledge_policies

bp = Blueprint("advice", __name__, url_prefix="/advies")


def _question_or_404(question_id: int):
    question = queries.get_question(question_id)
    if question is None:
        abort(404)
    require(policies.can_read_question(current_user, question), hide=True)
    return question


def _privacy(error: services.PrivacyGuardError | None, form, title_field: str | None = None):
    if error is None:
        return None
    title = getattr(form, title_field, None) if title_field else None
    return {
        "is_blocked": error.is_blocked,
        "labels": error.labels,
        "body": highlight(form.body.data or "", error.body.findings),
        "title": highlight(title.data or "", error.title.findings)
        if title is not None and error.title.findings
        else None,
    }


def _urgency_labels() -> dict[str, str]:
    """The urgencies' labels, translated once for a listing (as `urgency_label` in
    advice/_status.html, which a row would otherwise call per question)."""
    return {"acuut": _("Acuut"), "spoed": _("Spoed"), "normaal": _("Normaal")}


# --- the member's side -------------------------------------------------------------------


@bp.get("")
@member_required
def index():
    return render_template(
        "advice/index.html",
        questions=queries.my_questions(current_user),
        proposals=queries.open_proposals(current_user),
        in_pool=sparring.partner_for(current_user) is not None,
        urgency_labels=_urgency_labels(),
        now=utcnow(),
    )


@bp.route("/new", methods=["GET", "POST"])
@member_required
def new_question():
    require(policies.can_ask(current_user))
    form = AskForm()
    form.fill_choices()
    if request.method == "GET":
        form.sector.data = current_user.sector_id or 0
        form.region.data = current_user.region_id or 0
        if request.args.get("template") == "1":
            form.body.data = CASE_TEMPLATE
    error, status = None, 200
    if form.validate_on_submit():
        data = services.NewQuestion(
            subject=form.subject.data,
            body=form.body.data,
            urgency=form.urgency.data,
            kind=form.kind.data,
            theme_id=form.theme.data or None,
            sector_id=form.sector.data or None,
            region_id=form.region.data or None,
            privacy_checked=form.privacy_checked.data,
        )
        try:
            question = services.ask_question(current_user, data)
        except services.PrivacyGuardError as exc:
            error, status = exc, 422
        else:
            db.session.commit()
            flash(
                _("Je vraag is verstuurd. Je krijgt bericht zodra er een antwoord is."), "success"
            )
            return redirect(url_for("advice.show_question", question_id=question.id))
    elif request.method == "POST":
        status = 422
    acute = request.method == "POST" and form.urgency.data == "acuut"
    return render_template(
        "advice/new.html",
        form=form,
        acute=acute,
        case_template=CASE_TEMPLATE,
        privacy=_privacy(error, form, "subject"),
    ), status


@bp.route("/<int:question_id>", methods=["GET", "POST"])
@member_required
def show_question(question_id: int):
    question = _question_or_404(question_id)
    form = MessageForm()
    error, status = None, 200
    if request.method == "POST":
        require(policies.can_reply(current_user, question))
        if form.validate_on_submit():
            try:
                services.post_message(
                    question,
                    current_user,
                    form.body.data,
                    internal=bool(form.internal.data),
                    privacy_checked=form.privacy_checked.data,
                )
            except services.PrivacyGuardError as exc:
                error, status = exc, 422
            else:
                db.session.commit()
                flash(_("Je bericht is geplaatst."), "success")
                return redirect(url_for("advice.show_question", question_id=question.id))
        else:
            status = 422
    return _render_question(question, form, _privacy(error, form)), status


def _render_question(question, form, privacy):
    show_internal = policies.can_see_internal_notes(current_user, question)
    close_form = CloseForm()
    handover = HandOverForm()
    # The list of advisers only for those who may hand the question over.
    handover.adviser_id.choices = (
        [(u.id, u.display_name) for u in queries.advisers() if u.id != question.adviser_id]
        if policies.can_hand_over(current_user, question)
        else []
    )
    return render_template(
        "advice/show.html",
        question=question,
        messages=[m for m in question.messages if show_internal or not m.is_internal],
        form=form,
        close_form=close_form,
        handover_form=handover,
        rate_form=RateForm(),
        consent_form=ConsentForm(consent=question.faq_consent),
        faq_item=_faq_item(question),
        privacy=privacy,
        policies=policies,
        is_asker=policies.is_asker(current_user, question),
        now=utcnow(),
    )


def _faq_item(question):
    """The kennisbank draft made from the question, for the advisers (with a link for
    editors, who may open drafts), else None."""
    if question.faq_item_id is None or not policies.can_read_faq_drafts(current_user):
        return None
    item = question.faq_item
    can_open = knowledge_policies.can_read_item(current_user, item)
    return {
        "item": item,
        "url": url_for("knowledge.show_item", slug=item.slug) if can_open else None,
    }


@bp.post("/<int:question_id>/close")
@member_required
def close_question(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_close(current_user, question))
    form = CloseForm()
    if not form.validate_on_submit():
        flash(_("Kies een uitkomst."), "error")
        return redirect(url_for("advice.show_question", question_id=question.id))
    consent = bool(form.faq_consent.data) if policies.is_asker(current_user, question) else None
    services.close_question(question, current_user, form.outcome.data, faq_consent=consent)
    db.session.commit()
    flash(_("De vraag is afgesloten."), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


@bp.post("/<int:question_id>/rate")
@member_required
def rate_question(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_rate(current_user, question))
    form = RateForm()
    if form.validate_on_submit():
        services.rate_question(question, current_user, form.rating.data)
        db.session.commit()
        flash(_("Dank je voor je beoordeling."), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


@bp.post("/<int:question_id>/consent")
@member_required
def faq_consent(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_give_faq_consent(current_user, question))
    form = ConsentForm()
    form.validate_on_submit()
    services.set_faq_consent(question, current_user, bool(form.consent.data))
    db.session.commit()
    flash(_("Je keuze is opgeslagen."), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


# --- sparring partners -------------------------------------------------------------------


@bp.post("/<int:question_id>/sparring/<any(accept, decline):answer>")
@member_required
def answer_proposal(question_id: int, answer: str):
    proposal = queries.get_proposal(question_id, current_user)
    require(
        proposal is not None and policies.can_answer_proposal(current_user, proposal), hide=True
    )
    if answer == "decline":
        sparring.decline_proposal(proposal, current_user)
        db.session.commit()
        flash(_("Je hebt het voorstel afgewezen."), "success")
        return redirect(url_for("advice.index"))
    if not sparring.accept_proposal(proposal, current_user):
        flash(_("Een andere sparringpartner was je net voor."), "warning")
        return redirect(url_for("advice.index"))
    db.session.commit()
    flash(_("Je denkt mee met deze vraag."), "success")
    return redirect(url_for("advice.show_question", question_id=question_id))


@bp.route("/sparringpool", methods=["GET", "POST"])
@member_required
def sparring_pool():
    require(policies.can_join_pool(current_user))
    partner = sparring.partner_for(current_user)
    form = PoolForm(obj=None)
    form.fill_choices()
    if request.method == "GET" and partner is not None:
        form.themes.data = [t.id for t in partner.themes]
        form.sectors.data = [s.id for s in partner.sectors]
        form.regions.data = [r.id for r in partner.regions]
        form.availability.data = partner.availability
        form.is_available.data = partner.is_available
    if form.validate_on_submit():
        sparring.save_partner(
            current_user,
            theme_ids=form.themes.data or [],
            sector_ids=form.sectors.data or [],
            region_ids=form.regions.data or [],
            availability=form.availability.data,
            is_available=bool(form.is_available.data),
        )
        db.session.commit()
        flash(_("Je gegevens voor de sparringpool zijn opgeslagen."), "success")
        return redirect(url_for("advice.sparring_pool"))
    status = 422 if request.method == "POST" else 200
    return render_template("advice/pool.html", form=form, partner=partner), status


@bp.post("/sparringpool/leave")
@member_required
def leave_pool():
    sparring.leave_pool(current_user)
    db.session.commit()
    flash(_("Je staat niet meer in de sparringpool."), "success")
    return redirect(url_for("advice.sparring_pool"))


# --- the advisers' side ------------------------------------------------------------------


@bp.get("/queue")
@member_required
def queue():
    require(policies.can_advise(current_user))
    show = "all" if request.args.get("show") == "all" else "mine"
    return render_template(
        "advice/queue.html",
        questions=queries.queue(current_user, show=show),
        urgency_labels=_urgency_labels(),
        show=show,
        now=utcnow(),
        soon_seconds=24 * 3600,
    )


@bp.post("/<int:question_id>/take")
@member_required
def take_question(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_take(current_user, question))
    services.take_question(question, current_user)
    db.session.commit()
    flash(_("Je hebt deze vraag opgepakt."), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


@bp.post("/<int:question_id>/handover")
@member_required
def hand_over(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_hand_over(current_user, question))
    new_adviser = db.session.get(User, request.form.get("adviser_id", type=int) or 0)
    if new_adviser is None or not new_adviser.is_adviser or new_adviser.id == question.adviser_id:
        flash(_("Kies een andere adviseur."), "error")
        return redirect(url_for("advice.show_question", question_id=question.id))
    services.hand_over(question, current_user, new_adviser)
    db.session.commit()
    flash(_("De vraag is overgedragen aan %(name)s.", name=new_adviser.display_name), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


@bp.post("/<int:question_id>/faq")
@member_required
def flag_faq(question_id: int):
    question = _question_or_404(question_id)
    require(policies.can_flag_faq(current_user, question))
    try:
        faq.make_faq_draft(question, current_user)
    except knowledge_faq.PrivacyBlocked:
        flash(
            _("Er kan geen FAQ van gemaakt worden: de tekst bevat nog persoonsgegevens."),
            "error",
        )
        return redirect(url_for("advice.show_question", question_id=question.id))
    except AdviceError:  # another adviser was just before us: theirs is the draft
        db.session.rollback()
        return redirect(url_for("advice.show_question", question_id=question.id))
    db.session.commit()
    flash(_("Er staat een geanonimiseerd FAQ-concept in de kennisbank."), "success")
    return redirect(url_for("advice.show_question", question_id=question.id))


@bp.get("/faq")
@member_required
def faq_drafts():
    require(policies.can_read_faq_drafts(current_user))
    return render_template(
        "advice/faq.html", items=queries.faq_drafts(), can_open=knowledge_policies.is_editor
    )


@bp.get("/cijfers")
@member_required
def numbers():
    require(policies.can_advise(current_user))
    months = queries.team_numbers(utcnow() - timedelta(days=366))
    labels = {
        m.month: format_date(date(int(m.month[:4]), int(m.month[5:]), 1), "MMMM y") for m in months
    }
    return render_template("advice/numbers.html", months=months, month_labels=labels)


def init_app(app) -> None:
    signals.member_changed.connect(retention.on_member_changed, weak=False)
