"""Routes for threads and posts. Thin: load, check the policy, call a service, commit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from auth.guards import member_required
from core.errors import render_error
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from core.taxonomy import Tag, terms
from forum import listings, policies, queries, rendering, services
from forum.forms import CASE_TEMPLATE, EditPostForm, MoveThreadForm, ReplyForm, ThreadForm
from forum.models import REACTION_KINDS
from forum.submit import submit_post_form
from groups.hooks import add_group_page_context, set_group_activity
from groups.models import Group
from groups.policies import can_read_group
from groups.queries import membership_for

bp = Blueprint("forum", __name__)


def init_app(app) -> None:
    # A group's page shows its threads; the group list shows thread and unread counts.
    add_group_page_context(
        app, lambda viewer, group, page: {"threads": listings.group_threads(viewer, group, page)}
    )
    set_group_activity(
        app,
        lambda viewer, scope, mine: (
            listings.thread_counts(scope),
            listings.unread_threads_per_group(viewer, mine),
        ),
    )


# --- loading with permission checks ----------------------------------------------------


def _thread_or_404(thread_id: int):
    """The thread and the viewer's membership; 404 unless the viewer may read it."""
    thread, membership = queries.thread_for_reader(thread_id, current_user)
    if thread is None:
        abort(404)
    require(policies.can_read_thread(current_user, thread, membership), hide=True)
    return thread, membership


def _post_or_404(post_id: int):
    post = queries.get_post(post_id)
    if post is None:
        abort(404)
    thread = post.thread
    membership = membership_for(current_user, thread.group)
    require(policies.can_read_thread(current_user, thread, membership), hide=True)
    return post, thread, membership


def _post_url(post) -> str:
    page = queries.page_of_post(post)
    return url_for(
        "forum.show_thread",
        thread_id=post.thread_id,
        page=page if page > 1 else None,
        _anchor=f"post-{post.id}",
    )


# --- new thread ----------------------------------------------------------------------------


@bp.route("/groups/<slug>/threads/new", methods=["GET", "POST"])
@member_required
def new_thread(slug: str):
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        abort(404)
    membership = membership_for(current_user, group)
    require(can_read_group(current_user, group, membership), hide=True)
    require(policies.can_start_thread(current_user, group, membership))
    form = ThreadForm()
    tags = terms(Tag)
    form.fill_tags(tags)
    if request.method == "GET" and request.args.get("template") == "1":
        form.kind.data = "question"
        form.body.data = CASE_TEMPLATE
    return submit_post_form(
        form,
        lambda: services.create_thread(
            group, current_user, title=form.title.data, body=form.body.data,
            kind=form.kind.data, tag_ids=form.tags.data or [],
            privacy_checked=form.privacy_checked.data,
        ),
        success=_("Je gesprek is geplaatst."),
        redirect_to=lambda thread: url_for("forum.show_thread", thread_id=thread.id),
        template="forum/new_thread.html",
        group=group, tags=tags, case_template=CASE_TEMPLATE,
    )  # fmt: skip


# --- reading -------------------------------------------------------------------------------


@bp.get("/threads/<int:thread_id>")
@member_required
def show_thread(thread_id: int):
    page = request.args.get("page", 1, type=int)
    # The thread, the membership and the viewer's state for the page in one statement.
    thread, membership, state = queries.thread_for_page(thread_id, current_user, page)
    if thread is None:
        abort(404)
    require(policies.can_read_thread(current_user, thread, membership), hide=True)
    view = queries.thread_page(thread, current_user, page, state=state)
    if view is None:
        abort(404)
    html = rendering.render_page("forum/thread.html", **_thread_context(thread, membership, view))
    if view.read_position_moved:
        # After rendering: the commit expires every loaded object.
        services.mark_read(thread, current_user)
        db.session.commit()
    return html


def _thread_context(thread, membership, view, reply_form=None, **extra) -> dict:
    user = current_user._get_current_object()  # the member itself, not the proxy per use
    may_moderate = policies.can_moderate_thread(user, thread, membership)
    can_reply = policies.can_reply(user, thread, membership)
    return {
        "thread": thread,
        "view": view,
        "membership": membership,
        "reply_form": reply_form or ReplyForm(formdata=None),
        "can_move": policies.can_move_thread(user, thread, membership),
        "can_reply": can_reply,
        "can_pin": policies.can_pin_thread(user, thread, membership),
        "can_lock": policies.can_lock_thread(user, thread, membership),
        "fragment": rendering.PostRenderer(
            user, thread, membership, view, may_moderate=may_moderate, can_reply=can_reply
        ),
        "privacy": None,
        **extra,
    }


@bp.get("/posts/<int:post_id>")
@member_required
def show_post(post_id: int):
    post, _thread, _membership = _post_or_404(post_id)
    return redirect(_post_url(post))


# --- replying ------------------------------------------------------------------------------


@bp.route("/threads/<int:thread_id>/reply", methods=["GET", "POST"])
@member_required
def reply(thread_id: int):
    thread, membership = _thread_or_404(thread_id)
    if not policies.can_reply(current_user, thread, membership):
        if thread.is_locked:
            return render_error(
                403, _("Dit gesprek is gesloten: er kunnen geen reacties meer bij.")
            )
        abort(403)
    form = ReplyForm()
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent_id", "")
    parent = _parent_post(thread, form.parent_post_id())
    return submit_post_form(
        form,
        # The post's place is read before the commit expires it (no reload for the URL).
        lambda: queries.PostRef.of(services.create_reply(
            thread, current_user, body=form.body.data, parent=parent,
            privacy_checked=form.privacy_checked.data,
        )),
        success=_("Je reactie is geplaatst."),
        redirect_to=_post_url,
        template="forum/reply.html",
        thread=thread, parent=parent,
    )  # fmt: skip


def _parent_post(thread, parent_id: int | None):
    if parent_id is None:
        return None
    parent = queries.get_post(parent_id)
    if parent is None or parent.thread_id != thread.id:
        abort(404)
    return parent


@bp.get("/posts/<int:post_id>/quote")
@member_required
def quote_post(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    if post.is_removed:
        abort(404)
    if not policies.can_reply(current_user, thread, membership):
        if thread.is_locked:
            return render_error(
                403, _("Dit gesprek is gesloten: er kunnen geen reacties meer bij.")
            )
        abort(403)
    form = ReplyForm(formdata=None)
    name = post.author.public_name if post.author else _("Oud-lid")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body_source.splitlines())
    form.body.data = _("%(name)s schreef:", name=name) + "\n" + quoted + "\n\n"
    is_opening = post.id == thread.first_post_id
    form.parent_id.data = "" if is_opening else str(post.id)
    return render_template(
        "forum/reply.html",
        thread=thread,
        parent=None if is_opening else post,
        form=form,
        privacy=None,
    )


# --- editing, history, deleting --------------------------------------------------------------


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@member_required
def edit_post(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    require(policies.can_edit_post(current_user, post, thread, membership))
    is_opening = post.id == thread.first_post_id
    form = EditPostForm()
    if request.method == "GET":
        form.body.data = post.body_source
        form.title.data = thread.title if is_opening else None
    return submit_post_form(
        form,
        lambda: services.edit_post(
            post, current_user, body=form.body.data,
            title=form.title.data if is_opening and form.title.data else None,
            privacy_checked=form.privacy_checked.data,
        ),
        success=_("Je bericht is aangepast."),
        redirect_to=_post_url,
        template="forum/edit_post.html",
        rate_limited=False,
        thread=thread, post=post, is_opening=is_opening,
    )  # fmt: skip


@bp.get("/posts/<int:post_id>/history")
@member_required
def post_history(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    require(policies.can_view_history(current_user, thread, membership))
    return render_template(
        "forum/history.html", thread=thread, post=post, revisions=queries.post_history(post)
    )


@bp.post("/posts/<int:post_id>/delete")
@member_required
def delete_post(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    require(policies.can_delete_post(current_user, post, thread, membership))
    services.delete_post(post, current_user)
    db.session.commit()
    flash(_("Je bericht is verwijderd."), "success")
    return redirect(_post_url(post))


# --- reactions and answers ---------------------------------------------------------------------


@bp.post("/posts/<int:post_id>/react")
@member_required
def react(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    kind = request.form.get("kind", "")
    if kind not in REACTION_KINDS:
        abort(400)
    require(policies.can_react(current_user, post, thread, membership))
    services.toggle_reaction(post, current_user, kind)
    db.session.commit()
    return redirect(_post_url(post))


@bp.post("/posts/<int:post_id>/accept")
@member_required
def accept_answer(post_id: int):
    post, thread, membership = _post_or_404(post_id)
    require(policies.can_accept_answer(current_user, post, thread, membership))
    is_accepted = services.accept_answer(thread, post, current_user)
    db.session.commit()
    if is_accepted:
        flash(_("Deze reactie is gemarkeerd als antwoord."), "success")
    else:
        flash(_("De markering als antwoord is weggehaald."), "success")
    return redirect(url_for("forum.show_thread", thread_id=thread.id))


# --- coordinator actions and watching -------------------------------------------------------------


@bp.post("/threads/<int:thread_id>/pin")
@member_required
def pin_thread(thread_id: int):
    thread, membership = _thread_or_404(thread_id)
    require(policies.can_pin_thread(current_user, thread, membership))
    services.set_pinned(thread, current_user, not thread.is_pinned)
    db.session.commit()
    flash(
        _("Het gesprek staat nu bovenaan.")
        if thread.is_pinned
        else _("Het gesprek is losgemaakt."),
        "success",
    )
    return redirect(url_for("forum.show_thread", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/lock")
@member_required
def lock_thread(thread_id: int):
    thread, membership = _thread_or_404(thread_id)
    require(policies.can_lock_thread(current_user, thread, membership))
    services.set_locked(thread, current_user, not thread.is_locked)
    db.session.commit()
    flash(
        _("Het gesprek is gesloten.") if thread.is_locked else _("Het gesprek is weer geopend."),
        "success",
    )
    return redirect(url_for("forum.show_thread", thread_id=thread.id))


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
@member_required
def move_thread(thread_id: int):
    thread, membership = _thread_or_404(thread_id)
    require(policies.can_move_thread(current_user, thread, membership))
    if request.method == "GET":
        form = MoveThreadForm()
        form.group_id.choices = [
            (g.id, g.label)
            for g in queries.groups_managed_by(current_user)
            if g.id != thread.group_id
        ]
        return render_template("forum/move.html", thread=thread, form=form)
    target = db.session.get(Group, request.form.get("group_id", 0, type=int))
    if target is None:
        abort(400)
    require(policies.can_move_thread_to(current_user, target, membership_for(current_user, target)))
    services.move_thread(thread, target, current_user)
    db.session.commit()
    flash(_("Het gesprek is verplaatst naar %(group)s.", group=target.label), "success")
    return redirect(url_for("forum.show_thread", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/watch")
@member_required
def watch_thread(thread_id: int):
    thread, _membership = _thread_or_404(thread_id)
    level = request.form.get("level", "")
    if level not in ("watch", "mute", "none"):
        abort(400)
    services.set_watch(thread, current_user, level)
    db.session.commit()
    messages = {
        "watch": _("Je volgt dit gesprek."),
        "mute": _("Je krijgt geen meldingen meer over dit gesprek."),
        "none": _("Je meldingen voor dit gesprek staan weer op de standaard."),
    }
    flash(messages[level], "success")
    return redirect(url_for("forum.show_thread", thread_id=thread.id))
