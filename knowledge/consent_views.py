"""From a thread to a FAQ draft, and the quoted authors' consent (in the app or from the
email's one-click links, which open a page with a yes/no button: a POST, so mail
scanners that open links decide nothing)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from auth.guards import member_required
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from forum import queries as forum_queries
from forum.policies import can_read_thread
from groups.queries import membership_for
from knowledge import faq, policies, services
from knowledge.blueprint import bp
from knowledge.models import KnowledgeConsent


@bp.post("/threads/<int:thread_id>/to-kennisbank")
@member_required
def thread_to_faq(thread_id: int):
    thread = forum_queries.get_thread(thread_id)
    if thread is None:
        abort(404)
    membership = membership_for(current_user, thread.group)
    require(can_read_thread(current_user, thread, membership), hide=True)
    require(policies.can_make_faq(current_user, thread, membership))
    try:
        item = faq.make_faq_draft(thread, current_user)
    except faq.PrivacyBlocked:
        flash(
            _(
                "Er kan geen FAQ van gemaakt worden: de vraag of het antwoord bevat persoonsgegevens. Laat de schrijver die eerst weghalen."
            ),
            "error",
        )
        return redirect(url_for("forum.show_thread", thread_id=thread.id))
    except services.KnowledgeError:
        flash(
            _("Er kan geen FAQ van gemaakt worden: de vraag of het antwoord is er niet meer."),
            "error",
        )
        return redirect(url_for("forum.show_thread", thread_id=thread.id))
    db.session.commit()
    flash(
        _("Er is een FAQ-concept gemaakt. De geciteerde schrijvers is om toestemming gevraagd."),
        "success",
    )
    if not policies.is_editor(current_user):
        return redirect(url_for("forum.show_thread", thread_id=thread.id))
    return redirect(url_for("knowledge.show_item", slug=item.slug))


@bp.get("/kennisbank/toestemming")
@member_required
def my_consents():
    return render_template("knowledge/consents.html", consents=faq.open_consents_of(current_user))


def _consent_page(consent: KnowledgeConsent, action: str):
    return render_template("knowledge/consent.html", consent=consent, action=action,
                           suggested=request.args.get("answer"))  # fmt: skip


def _answer(consent: KnowledgeConsent, user, back: str):
    answer = request.form.get("answer", "")
    if answer not in {"yes", "no"}:
        abort(400)
    try:
        faq.answer_consent(consent, user, granted=answer == "yes")
    except services.KnowledgeError:
        flash(
            _("Je antwoord kan niet meer worden veranderd: het item is al gepubliceerd."), "error"
        )
        return redirect(back)
    db.session.commit()
    if answer == "yes":
        flash(_("Dank je. Je hebt toestemming gegeven."), "success")
    else:
        flash(_("Je hebt geen toestemming gegeven. Je tekst wordt niet gepubliceerd."), "success")
    return redirect(back)


@bp.route("/kennisbank/toestemming/<int:consent_id>", methods=["GET", "POST"])
@member_required
def answer_consent(consent_id: int):
    consent = db.session.get(KnowledgeConsent, consent_id)
    if consent is None or not policies.can_answer_consent(current_user, consent):
        abort(404)
    if request.method == "POST":
        return _answer(consent, current_user, url_for("knowledge.my_consents"))
    return _consent_page(consent, url_for("knowledge.answer_consent", consent_id=consent.id))


@bp.route("/kennisbank/toestemming/t/<token>", methods=["GET", "POST"])
def answer_consent_by_token(token: str):
    consent = faq.consent_from_token(token)
    if consent is None or consent.user is None:
        abort(404)
    here = url_for("knowledge.answer_consent_by_token", token=token)
    if request.method == "POST":
        return _answer(consent, consent.user, here)
    return _consent_page(consent, here)


@bp.post("/kennisbank/<slug>/toestemming/<int:consent_id>/tekst-weg")
@member_required
def consent_text_removed(slug: str, consent_id: int):
    consent = db.session.get(KnowledgeConsent, consent_id)
    if consent is None or consent.item.slug != slug:
        abort(404)
    require(policies.can_edit_item(current_user, consent.item), hide=True)
    try:
        faq.mark_text_removed(consent, current_user)
    except services.KnowledgeError:
        flash(_("De tekst van deze schrijver staat nog in het item. Haal die eerst weg."), "error")
    else:
        db.session.commit()
        flash(_("Genoteerd: de tekst van deze schrijver is weggehaald."), "success")
    return redirect(url_for("knowledge.show_item", slug=slug))
