"""Routes for groups: the list, a group's home, joining and leaving, member management.
A group's threads and events are added by the forum and events (groups.hooks).

A group a member may not see (someone else's secret group) is 404 at every URL; a closed
group's page shows a non-member its name, description and the request button only.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from auth.guards import admin_required, member_required
from auth.policies import needs_2fa_enrolment
from core import signals
from core.cli import register_taxonomy_seeder
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from groups import forms, policies, queries, rendering, services
from groups.hooks import group_page_context
from groups.models import Group, Membership
from groups.services import GroupError

bp = Blueprint("groups", __name__)


def init_app(app) -> None:
    register_taxonomy_seeder(app, lambda: {"regional groups": services.ensure_regional_groups()})
    signals.account_deleting.connect(services.leave_all_groups, weak=False)
    app.jinja_env.globals["url_builder"] = url_builder
    rendering.init_app(app)


_URL_MARKER = 2_147_483_647


def url_builder(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, key=number, **values)` for every row of a list (or every page
    number) at the cost of one `url_for`: the URL is built once with a marker number,
    which each call replaces (integers only, which are never quoted)."""
    url = url_for(endpoint, **values, **{key: _URL_MARKER})
    head, marker, tail = url.rpartition(str(_URL_MARKER))
    if not marker:  # the endpoint leaves the number out of its URL
        return lambda number: url_for(endpoint, **values, **{key: number})
    return lambda number: f"{head}{int(number)}{tail}"


# --- helpers ------------------------------------------------------------------------


def _load(slug: str) -> tuple[Group, Membership | None]:
    """The group and the viewer's membership; 404 unless the viewer may know it exists."""
    group, membership, _requests = _load_with_requests(slug, count_requests=False)
    return group, membership


def _load_with_requests(
    slug: str, *, count_requests: bool = True
) -> tuple[Group, Membership | None, int]:
    """As `_load`, with the group's open join requests counted in the same query."""
    group, membership, requests = queries.group_and_membership(
        current_user, slug, count_requests=count_requests
    )
    if group is None:
        abort(404)
    require(policies.can_see_group(current_user, group, membership), hide=True)
    return group, membership, requests


def _load_readable(slug: str) -> tuple[Group, Membership | None]:
    """As `_load`, and 404 unless the viewer may read the group's content too."""
    group, membership = _load(slug)
    require(policies.can_read_group(current_user, group, membership), hide=True)
    return group, membership


def _target(group: Group, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    )
    if membership is None:
        abort(404)
    return membership


def _back(default: str):
    """Redirect to the form's `next` (a local path) or to `default`."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(default)


def _group_url(group: Group) -> str:
    return url_for("groups.show_group", slug=group.slug)


def _members_url(group: Group) -> str:
    return url_for("groups.manage_members", slug=group.slug)


# --- the list and a group's home ------------------------------------------------------


@bp.get("/groups")
@member_required
def list_groups():
    return render_template(
        "groups/list.html",
        groups=queries.group_list(current_user),
        can_create=policies.can_create_group(current_user),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@admin_required
def new_group():
    form = forms.GroupForm()
    form.fill_choices()
    if form.validate_on_submit():
        try:
            group = services.create_group(
                services.NewGroup(
                    name=form.name.data,
                    name_en=form.name_en.data or "",
                    slug=form.slug.data or "",
                    description=form.description.data,
                    kind=form.kind.data,
                    visibility=form.visibility.data,
                    region_id=form.region.data or None,
                ),
                current_user,
            )
        except GroupError as error:
            field = getattr(form, error.field or "slug")
            field.errors = [*field.errors, str(error.message)]
        else:
            db.session.commit()
            flash(_("De groep %(name)s is aangemaakt.", name=group.name), "success")
            return redirect(_members_url(group))
    return render_template("groups/new.html", form=form)


@bp.get("/groups/<slug>")
@member_required
def show_group(slug: str):
    group, membership, open_requests = _load_with_requests(slug)
    if not policies.can_read_group(current_user, group, membership):
        # A closed group: its name, description and the way in, nothing of its content.
        return render_template(
            "groups/closed.html",
            group=group,
            membership=membership,
            can_request=policies.can_request_to_join(current_user, group, membership),
            can_accept=policies.can_accept_invitation(current_user, group, membership),
        )
    page = request.args.get("page", 1, type=int)
    can_manage = policies.can_manage_group(current_user, group, membership)
    return render_template(
        "groups/show.html",
        group=group,
        membership=membership,
        sectors=queries.member_sectors(group),
        coordinators=queries.coordinators(group),
        pending_requests=open_requests if can_manage else 0,
        can_manage=can_manage,
        can_post=policies.can_post_in_group(current_user, group, membership),
        can_join=policies.can_join_group(current_user, group, membership),
        can_leave=policies.can_leave_group(current_user, group, membership),
        can_accept=policies.can_accept_invitation(current_user, group, membership),
        **group_page_context(current_user, group, page),
    )


# --- a member's own actions ----------------------------------------------------------


@bp.post("/groups/<slug>/join")
@member_required
def join_group(slug: str):
    group, membership = _load(slug)
    require(policies.can_join_group(current_user, group, membership))
    services.join_group(current_user, group)
    db.session.commit()
    flash(_("Je bent lid van %(name)s.", name=group.label), "success")
    return _back(_group_url(group))


@bp.post("/groups/<slug>/request")
@member_required
def request_to_join(slug: str):
    group, membership = _load(slug)
    require(policies.can_request_to_join(current_user, group, membership))
    membership = services.request_to_join(current_user, group)
    db.session.commit()
    if membership.is_active:
        flash(_("Je bent lid van %(name)s.", name=group.label), "success")
    else:
        flash(
            _(
                "Je verzoek is verstuurd. Je krijgt een e-mail zodra een coördinator heeft besloten."
            ),
            "success",
        )
    return _back(_group_url(group))


@bp.post("/groups/<slug>/leave")
@member_required
def leave_group(slug: str):
    group, membership = _load(slug)
    require(policies.can_leave_group(current_user, group, membership))
    status = membership.status
    services.leave_group(current_user, group)
    db.session.commit()
    messages = {
        "requested": _("Je verzoek is ingetrokken."),
        "invited": _("Je hebt de uitnodiging afgeslagen."),
    }
    flash(
        messages.get(status, _("Je bent geen lid meer van %(name)s.", name=group.label)), "success"
    )
    if group.visibility == "secret":
        return redirect(url_for("groups.list_groups"))
    return _back(_group_url(group))


@bp.post("/groups/<slug>/invitation/accept")
@member_required
def accept_invitation(slug: str):
    group, membership = _load(slug)
    require(policies.can_accept_invitation(current_user, group, membership))
    services.accept_invitation(current_user, group)
    db.session.commit()
    flash(_("Welkom in %(name)s.", name=group.label), "success")
    return redirect(_group_url(group))


@bp.post("/groups/<slug>/invitation/decline")
@member_required
def decline_invitation(slug: str):
    group, membership = _load(slug)
    require(policies.can_accept_invitation(current_user, group, membership))
    services.decline_invitation(current_user, group)
    db.session.commit()
    flash(_("Je hebt de uitnodiging afgeslagen."), "success")
    return redirect(url_for("groups.list_groups"))


# --- members and their management ----------------------------------------------------


@bp.get("/groups/<slug>/members")
@member_required
def manage_members(slug: str):
    group, membership = _load_readable(slug)
    can_manage = policies.can_manage_group(current_user, group, membership)
    statuses = ("active", "requested", "invited") if can_manage else ("active",)
    memberships = queries.group_memberships(group, statuses)
    return render_template(
        "groups/members.html",
        group=group,
        membership=membership,
        members=[m for m in memberships if m.status == "active"],
        requests=[m for m in memberships if m.status == "requested"],
        invitations=[m for m in memberships if m.status == "invited"],
        sectors=queries.member_sectors(group),
        can_manage=can_manage,
        can_invite=policies.can_invite_to_group(current_user, group, membership),
        can_appoint=policies.can_appoint_coordinator(current_user, group),
        invite_form=forms.InviteForm(),
        coordinator_form=forms.InviteForm(prefix="coordinator"),
        removable={
            m.user_id
            for m in memberships
            if policies.can_remove_member(current_user, group, membership, m)
        },
    )


def _load_managed(slug: str) -> tuple[Group, Membership | None]:
    group, membership = _load_readable(slug)
    require(policies.can_manage_group(current_user, group, membership))
    return group, membership


@bp.post("/groups/<slug>/members/<int:user_id>/approve")
@member_required
def approve_request(slug: str, user_id: int):
    group, _membership = _load_managed(slug)
    target = _target(group, user_id)
    name = target.user.public_name
    if services.approve_request(target, current_user):
        flash(_("%(name)s is toegelaten.", name=name), "success")
    else:
        flash(_("Over dit verzoek is al besloten."), "warning")
    db.session.commit()
    return redirect(_members_url(group))


@bp.post("/groups/<slug>/members/<int:user_id>/decline")
@member_required
def decline_request(slug: str, user_id: int):
    group, _membership = _load_managed(slug)
    target = _target(group, user_id)
    name = target.user.public_name
    if services.decline_request(target, current_user):
        flash(_("Het verzoek van %(name)s is afgewezen.", name=name), "success")
    else:
        flash(_("Over dit verzoek is al besloten."), "warning")
    db.session.commit()
    return redirect(_members_url(group))


@bp.post("/groups/<slug>/members/<int:user_id>/remove")
@member_required
def remove_member(slug: str, user_id: int):
    group, membership = _load_managed(slug)
    target = _target(group, user_id)
    require(policies.can_remove_member(current_user, group, membership, target))
    name = target.user.public_name
    services.remove_member(target, current_user, reason=request.form.get("reason", "")[:500])
    db.session.commit()
    flash(_("%(name)s is uit de groep gehaald.", name=name), "success")
    return redirect(_members_url(group))


@bp.post("/groups/<slug>/invite")
@member_required
def invite_member(slug: str):
    group, membership = _load_managed(slug)
    require(policies.can_invite_to_group(current_user, group, membership))
    form = forms.InviteForm()
    invitee = services.find_invitee(form.member.data) if form.validate() else None
    if invitee is None:
        flash(_("We vinden geen actief lid met dit e-mailadres of lidnummer."), "error")
        return redirect(_members_url(group))
    outcome = services.invite_member(group, invitee, current_user)
    db.session.commit()
    messages = {
        "invited": (_("%(name)s is uitgenodigd.", name=invitee.display_name), "success"),
        "approved": (_("%(name)s had al gevraagd en is nu lid.", name=invitee.display_name), "success"),
        "already-invited": (_("%(name)s is al uitgenodigd.", name=invitee.display_name), "info"),
        "already-member": (_("%(name)s is al lid.", name=invitee.display_name), "info"),
    }  # fmt: skip
    flash(*messages[outcome])
    return redirect(_members_url(group))


def _load_for_appointment(slug: str) -> Group:
    """The group, for an admin with 2FA. The group's existence is checked before the role,
    so a secret or closed group stays 404 to everyone who may not read it."""
    group, _membership = _load_readable(slug)
    require(policies.can_appoint_coordinator(current_user, group))
    if needs_2fa_enrolment(current_user):
        flash(_("Stel eerst tweestapsverificatie in om beheerpagina's te gebruiken."), "warning")
        abort(redirect(url_for("auth.security")))
    return group


@bp.post("/groups/<slug>/coordinators")
@member_required
def appoint_coordinator(slug: str):
    group = _load_for_appointment(slug)
    form = forms.InviteForm(prefix="coordinator")
    user = services.find_invitee(form.member.data) if form.validate() else None
    if user is None:
        flash(_("We vinden geen actief lid met dit e-mailadres of lidnummer."), "error")
        return redirect(_members_url(group))
    services.appoint_coordinator(group, user, current_user)
    db.session.commit()
    flash(_("%(name)s is coördinator van deze groep.", name=user.display_name), "success")
    return redirect(_members_url(group))


@bp.post("/groups/<slug>/members/<int:user_id>/appoint")
@member_required
def appoint_member(slug: str, user_id: int):
    group = _load_for_appointment(slug)
    target = _target(group, user_id)
    services.appoint_coordinator(group, target.user, current_user)
    db.session.commit()
    flash(_("%(name)s is coördinator van deze groep.", name=target.user.public_name), "success")
    return redirect(_members_url(group))


@bp.post("/groups/<slug>/members/<int:user_id>/revoke")
@member_required
def revoke_coordinator(slug: str, user_id: int):
    group = _load_for_appointment(slug)
    target = _target(group, user_id)
    services.revoke_coordinator(target, current_user)
    db.session.commit()
    flash(_("%(name)s is geen coördinator meer.", name=target.user.public_name), "success")
    return redirect(_members_url(group))
