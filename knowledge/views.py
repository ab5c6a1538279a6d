"""Routes of the kennisbank: reading (public where allowed), writing and the review
workflow for editors. Thin: load, check the policy, call a service, commit once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from auth.guards import member_required
from core.extensions import db
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.permissions import require
from core.privacy.guard import highlight
from core.taxonomy import Tag
from forum.services import PrivacyGuardError
from knowledge import (
    consent_views,  # noqa: F401 - registers its routes on bp
    diff,
    faq,
    labels,
    policies,
    queries,
    reads,
    references,
    services,
)
from knowledge.blueprint import bp
from knowledge.forms import ItemForm
from knowledge.models import (
    APPROACHES,
    EVIDENCE_LEVELS,
    INTERVENTION_FIELDS,
    KINDS,
    KnowledgeItem,
)


def _item_or_404(slug: str, *, with_terms: bool = True) -> KnowledgeItem:
    """The item the viewer may read; an old slug redirects (raised as a 301)."""
    item, is_old = queries.get_item_by_slug(slug, with_terms=with_terms)
    if item is None or not policies.can_read_item(current_user, item):
        abort(404)
    if is_old:
        abort(redirect(url_for(request.endpoint, slug=item.slug), 301))
    return item


def _filters(terms: dict) -> queries.ItemFilters:
    # Unknown values (an old bookmark, a hand-edited URL) are ignored, never an error.
    def term_id(name: str, arg: str):
        key = request.args.get(arg, "")
        return next((t.id for t in terms[name] if t.key == key), None)

    kind, level, approach = (request.args.get(n, "") for n in ("kind", "level", "approach"))
    return queries.ItemFilters(
        q=" ".join(request.args.get("q", "").split())[: queries.QUERY_MAX],
        kind=kind if kind in KINDS else None,
        theme_id=term_id("theme", "theme"),
        sector_id=term_id("sector", "sector"),
        level=level if level in EVIDENCE_LEVELS else None,
        approach=approach if approach in APPROACHES else None,
        region_id=term_id("region", "region"),
    )


@bp.get("/kennisbank")
def list_items():
    terms = queries.facet_terms()
    filters = _filters(terms)
    page = queries.list_items(current_user, filters, request.args.get("page", 1, type=int))
    theme = next((t for t in terms["theme"] if t.id == filters.theme_id), None)
    can_follow = policies.can_follow_theme(current_user)
    item_labels = labels.all_labels()
    return render_template(
        "knowledge/list.html",
        page=page,
        filters=filters,
        facets=queries.build_facets(page, filters, terms, item_labels),
        item_labels=item_labels,
        args={k: v for k, v in request.args.items() if k != "page"},
        theme=theme,
        # The follow button shows only on a theme's list.
        followed=queries.followed_theme_ids(current_user) if theme and can_follow else set(),
        can_create=policies.can_create_item(current_user),
        can_follow=can_follow,
    )


@bp.get("/kennisbank/item/<int:item_id>")
def item_by_id(item_id: int):
    """Stable link by id (search results): redirects to the item's slug."""
    item = db.session.get(KnowledgeItem, item_id)
    if item is None or not policies.can_read_item(current_user, item):
        abort(404)
    return redirect(url_for("knowledge.show_item", slug=item.slug))


@bp.get("/kennisbank/<slug>")
def show_item(slug: str):
    item = _item_or_404(slug, with_terms=False)
    is_editor = policies.is_editor(current_user)
    field_labels = labels.field_labels()
    terms = queries.item_terms(item.id)
    page = render_template(
        "knowledge/item.html",
        item=item,
        terms=terms,
        fields=[(n, field_labels[n], getattr(item, n)) for n in INTERVENTION_FIELDS],
        related=queries.related_items(current_user, item, theme_ids=[t.id for t in terms["theme"]]),
        references=queries.references_for(current_user, item),
        consents=faq.consents_for(item) if is_editor else [],
        is_editor=is_editor,
        can_edit=policies.can_edit_item(current_user, item),
        can_submit=policies.can_submit_item(current_user, item),
        can_reject=policies.can_reject_item(current_user, item),
        can_publish=policies.can_publish_item(current_user, item),
        can_archive=policies.can_archive_item(current_user, item),
    )
    # After rendering, so the commit does not expire what the page needs.
    if reads.record_read(item, current_user):
        db.session.commit()
    return page


def _privacy(error: PrivacyGuardError | None, form) -> dict | None:
    if error is None:
        return None
    text = services.privacy_text_of(form.to_data())
    return {
        "is_blocked": error.is_blocked,
        "labels": error.labels,
        "body": highlight(text, error.body.findings),
        "title": highlight(form.title.data or "", error.title.findings)
        if error.title.findings
        else None,
    }


def _render_form(form, item, error, status):
    return (
        render_template("knowledge/form.html", form=form, item=item, privacy=_privacy(error, form)),
        status,
    )


def _save(form, item):
    """Create or update from the form: (item, None) when saved, else (None, privacy
    error or None) with the messages set on the form."""
    data = form.to_data()
    checked = form.privacy_checked.data
    try:
        if item is None:
            return services.create_item(current_user, data, privacy_checked=checked), None
        return services.update_item(item, current_user, data, privacy_checked=checked), None
    except PrivacyGuardError as exc:
        return None, exc
    except services.SlugTaken:
        form.slug.errors = [*form.slug.errors, _("Dit adres is al in gebruik. Kies een ander.")]
    except services.KnowledgeError:
        form.title.errors = [*form.title.errors, _("Controleer de titel en de soort.")]
    return None, None


def _form_view(item: KnowledgeItem | None, saved_message: str):
    """The new/edit form: validate, save, commit once, or show the form with messages."""
    form = ItemForm()
    form.fill_choices(queries.facet_terms())
    if request.method == "GET":
        if item is not None:
            form.fill_from(item)
        return _render_form(form, item, None, 200)
    privacy = None
    if form.validate():
        saved, privacy = _save(form, item)
        if saved is not None:
            db.session.commit()
            flash(saved_message, "success")
            return redirect(url_for("knowledge.show_item", slug=saved.slug))
        db.session.rollback()
    return _render_form(form, item and db.session.get(KnowledgeItem, item.id), privacy, 422)


@bp.route("/kennisbank/new", methods=["GET", "POST"])
@member_required
def new_item():
    require(policies.can_create_item(current_user))
    return _form_view(None, _("Het concept is opgeslagen."))


@bp.route("/kennisbank/<slug>/edit", methods=["GET", "POST"])
@member_required
def edit_item(slug: str):
    item = _item_or_404(slug)
    require(policies.can_edit_item(current_user, item))
    message = _("De wijziging is opgeslagen.")
    if item.is_published:
        message = _(
            "De wijziging is opgeslagen. Een andere redacteur controleert en publiceert hem."
        )
    return _form_view(item, message)


_STATUS_ACTIONS = {
    "submit": (
        services.submit_item,
        _l("Het item staat klaar voor controle door een andere redacteur."),
    ),
    "reject": (services.reject_item, _l("Het item is terug naar concept.")),
    "publish": (services.publish_item, _l("Het item is gepubliceerd.")),
    "archive": (services.archive_item, _l("Het item is gearchiveerd.")),
}


@bp.post("/kennisbank/<slug>/<any(submit, reject, publish, archive):action>")
@member_required
def change_status(slug: str, action: str):
    item = _item_or_404(slug)
    require(policies.is_editor(current_user))
    operation, message = _STATUS_ACTIONS[action]
    try:
        operation(item, current_user)
    except services.ConsentMissing:
        flash(
            _(
                "Publiceren kan nog niet: niet iedereen die geciteerd wordt heeft toestemming gegeven."
            ),
            "error",
        )
    except PrivacyGuardError:
        flash(
            _(
                "Publiceren kan nog niet: de tekst bevat mogelijk persoonsgegevens. Pas de tekst aan."
            ),
            "error",
        )
    except services.KnowledgeError:
        flash(
            _("Dat kan niet: een andere redacteur dan de laatste schrijver publiceert het item."),
            "error",
        )
    else:
        db.session.commit()
        flash(str(message), "success")
    return redirect(url_for("knowledge.show_item", slug=item.slug))


@bp.get("/kennisbank/<slug>/history")
@member_required
def history(slug: str):
    item = _item_or_404(slug)
    require(policies.can_view_history(current_user, item), hide=True)
    return render_template(
        "knowledge/history.html", item=item, history=diff.history(queries.versions_of(item))
    )


@bp.get("/kennisbank/redactie")
@member_required
def editor_queue():
    require(policies.is_editor(current_user), hide=True)
    return render_template("knowledge/queue.html", queue=queries.editor_queue())


@bp.post("/kennisbank/themas/<key>/volgen")
@member_required
def follow_theme(key: str):
    tag = db.session.scalar(select(Tag).where(Tag.key == key))
    if tag is None:
        abort(404)
    require(policies.can_follow_theme(current_user))
    following = services.toggle_theme_follow(current_user, tag)
    db.session.commit()
    if following:
        flash(
            _(
                "Je volgt het thema %(theme)s. Nieuwe items staan in je overzichtsmail.",
                theme=tag.label,
            ),
            "success",
        )
    else:
        flash(_("Je volgt het thema %(theme)s niet meer.", theme=tag.label), "success")
    return redirect(url_for("knowledge.list_items", theme=tag.key))


def init_app(app) -> None:
    references.init_app(app)
    app.jinja_env.globals["can_make_faq"] = policies.can_make_faq
    app.jinja_env.globals["knowledge_labels"] = labels
