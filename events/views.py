"""Routes for events: list, schedule, sign up, attendees, calendars and certificates."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from auth.guards import member_required
from auth.models import User
from core import signals
from core.db import utcnow
from core.extensions import db
from core.forms import fill_terms
from core.i18n import gettext as _
from core.permissions import require
from core.taxonomy import EventType, Region, ordered_term_labels
from events import display, exports, policies, queries, registrations, services
from events.calendar import build_calendar
from events.forms import AttendanceForm, CancelEventForm, EventForm
from events.models import Event, Registration
from events.timeparse import dst_choice_of, to_local_input
from groups.hooks import add_group_page_context
from groups.queries import membership_for

bp = Blueprint("events", __name__)


def init_app(app) -> None:
    display.init_app(app)
    signals.account_deleting.connect(registrations.cancel_upcoming_registrations, weak=False)
    # A group's page shows its next events.
    add_group_page_context(
        app,
        lambda viewer, group, page: {"events": queries.upcoming_events_for_group(group, viewer, 5)},
    )

    # Proof of attendance has its own blueprint (the printable page, PDF and check).
    from events import certificate_views

    app.register_blueprint(certificate_views.bp)


FEED_HISTORY_DAYS = 90


def _load(event_id: int) -> tuple[Event, object]:
    """The event and the viewer's membership of its group; 404 for what they may not see."""
    event = queries.event_or_none(event_id) or abort(404)
    membership = membership_for(current_user, event.group)
    require(policies.can_view_event(current_user, event, membership), hide=True)
    return event, membership


def _load_with_registration(event_id: int) -> tuple[Event, object, Registration | None]:
    """`_load` and the viewer's active registration, in one statement."""
    found = queries.event_for_viewer(event_id, current_user) or abort(404)
    event, membership, registration = found
    require(policies.can_view_event(current_user, event, membership), hide=True)
    return event, membership, registration


def _my_registration(event: Event) -> Registration | None:
    return registrations.active_registration(event.id, current_user.id)


# --- lists --------------------------------------------------------------------------


@bp.get("/events")
@member_required
def list_events():
    when = "past" if request.args.get("when") == "past" else "upcoming"
    # The filters' terms from the process's copy of the taxonomy (no statement).
    regions = ordered_term_labels(Region)
    types = ordered_term_labels(EventType)
    region_key = request.args.get("region", "")
    type_key = request.args.get("type", "")
    region = next((r for r in regions if r.key == region_key), None)
    event_type = next((t for t in types if t.key == type_key), None)
    page = request.args.get("page", 1, type=int)
    items, total = queries.list_events(
        current_user,
        when=when,
        region_id=region.id if region else None,
        event_type_id=event_type.id if event_type else None,
        page=page,
    )
    return render_template(
        "events/list.html",
        items=items,
        total=total,
        page=page,
        per_page=25,
        when=when,
        regions=regions,
        types=types,
        region_key=region.key if region else "",
        type_key=event_type.key if event_type else "",
        feed_url=url_for("events.personal_feed", token=current_user.calendar_token, _external=True),
    )


# --- scheduling ---------------------------------------------------------------------


def _zone_name() -> str:
    return getattr(current_user, "timezone", None) or "Europe/Amsterdam"


def _event_data(form: EventForm, times: dict, zone: str) -> services.EventData:
    return services.EventData(
        title=form.title.data,
        description=form.description.data or "",
        event_type_id=form.event_type.data or None,
        starts_at=times["starts_at"],
        ends_at=times["ends_at"],
        timezone=zone,
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        registration_deadline=times["registration_deadline"],
        requires_approval=bool(form.requires_approval.data),
        accreditation_register=form.accreditation_register.data or "",
        accreditation_points=form.accreditation_points.data,
        chatham_house=bool(form.chatham_house.data),
    )


def _privacy_ok(form: EventForm) -> tuple[bool, list[str]]:
    """The description goes through the same privacy guard as forum posts."""
    from core.privacy.guard import scan_text

    result = scan_text(form.description.data or "")
    labels = [str(finding.label) for finding in result.findings]
    kinds = list(dict.fromkeys(labels))
    if result.is_blocked:
        form.description.errors = [
            *form.description.errors,
            _(
                "De beschrijving bevat gegevens die een jongere herleidbaar maken (%(kinds)s). "
                "Haal die weg.",
                kinds=", ".join(kinds),
            ),
        ]
        return False, kinds
    if result.has_warnings and not form.privacy_confirmed.data:
        form.privacy_confirmed.errors = [
            _(
                "De beschrijving lijkt persoonsgegevens te bevatten (%(kinds)s). Pas de tekst "
                "aan of bevestig dat niemand herleidbaar is.",
                kinds=", ".join(kinds),
            )
        ]
        return False, kinds
    return True, kinds


def _save(form: EventForm, zone: str):
    """Validate everything; returns EventData or None (errors are on the form)."""
    if not form.validate_on_submit():
        form.resolve_times(zone)
        _privacy_ok(form)
        return None
    times = form.resolve_times(zone)
    privacy_ok, _kinds = _privacy_ok(form)
    if times is None or not privacy_ok:
        return None
    return _event_data(form, times, zone)


@bp.route("/groups/<slug>/events/new", methods=["GET", "POST"])
@member_required
def new_event(slug: str):
    group = queries.group_by_slug(slug) or abort(404)
    membership = membership_for(current_user, group)
    require(policies.can_view_event(current_user, _GroupProxy(group), membership), hide=True)
    require(policies.can_create_event(current_user, group, membership))
    form = EventForm()
    fill_terms(form.event_type, EventType)
    form.ambiguous = set()
    zone = _zone_name()
    if request.method == "POST":
        data = _save(form, zone)
        if data is not None:
            try:
                event = services.create_event(group, data, current_user)
            except services.EventError as exc:
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(_("De bijeenkomst is gepland."), "success")
                return redirect(url_for("events.show_event", event_id=event.id))
    return render_template("events/form.html", form=form, group=group, event=None, zone=zone)


class _GroupProxy:
    """Lets `can_view_event` judge a group before it has an event."""

    def __init__(self, group) -> None:
        self.group = group


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@member_required
def edit_event(event_id: int):
    event, membership = _load(event_id)
    require(policies.can_edit_event(current_user, event, membership))
    zone = event.timezone
    form = EventForm(obj=None if request.method == "POST" else event)
    fill_terms(form.event_type, EventType)
    form.ambiguous = set()
    if request.method == "GET":
        form.description.data = event.description_source
        form.event_type.data = event.event_type_id or 0
        for name in ("starts_at", "ends_at", "registration_deadline"):
            value = getattr(event, name)
            form[name].data = to_local_input(value, zone)
            choice = dst_choice_of(value, zone) if value else None
            if choice:
                form[f"{name}_dst"].data = choice
                form.ambiguous.add(name)
    else:
        data = _save(form, zone)
        if data is not None:
            try:
                changes = services.update_event(event, data, current_user)
            except services.EventError as exc:
                flash(str(exc), "error")
            else:
                db.session.commit()
                if changes:
                    flash(_("De bijeenkomst is gewijzigd."), "success")
                return redirect(url_for("events.show_event", event_id=event.id))
    return render_template("events/form.html", form=form, group=event.group, event=event, zone=zone)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@member_required
def cancel_event(event_id: int):
    event, membership = _load(event_id)
    require(policies.can_edit_event(current_user, event, membership))
    form = CancelEventForm()
    if form.validate_on_submit():
        services.cancel_event(event, current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("De bijeenkomst is geannuleerd. Aangemelde deelnemers krijgen bericht."), "success")
        return redirect(url_for("events.show_event", event_id=event.id))
    status = 422 if form.errors else 200
    return render_template("events/cancel.html", form=form, event=event), status


# --- detail and sign-ups -------------------------------------------------------------


@bp.get("/events/<int:event_id>")
@member_required
def show_event(event_id: int):
    event, membership, registration = _load_with_registration(event_id)
    now = utcnow()
    return render_template(
        "events/detail.html",
        event=event,
        registration=registration,
        position=registrations.waitlist_position(registration) if registration else None,
        can_register=policies.can_register(current_user, event, membership, registration, now),
        can_unregister=policies.can_unregister(current_user, event, registration, now),
        registration_open=policies.registration_is_open(event, now),
        can_see_location=policies.can_see_location(current_user, event, membership, registration),
        can_manage=policies.can_manage_event(current_user, event, membership),
        can_edit=policies.can_edit_event(current_user, event, membership),
        can_certificate=policies.can_download_certificate(current_user, event, registration),
    )


@bp.post("/events/<int:event_id>/register")
@member_required
def register(event_id: int):
    event, membership = _load(event_id)
    registration = _my_registration(event)
    if registration is not None:
        flash(_("Je bent al aangemeld voor deze bijeenkomst."), "info")
        return redirect(url_for("events.show_event", event_id=event.id))
    if not policies.can_register(current_user, event, membership, None, utcnow()):
        flash(_("Aanmelden voor deze bijeenkomst is niet (meer) mogelijk."), "error")
        return redirect(url_for("events.show_event", event_id=event.id))
    try:
        result = registrations.register_for_event(event, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("events.show_event", event_id=event.id))
    db.session.commit()
    messages = {
        "confirmed": _("Je bent aangemeld. Je krijgt een bevestiging per e-mail."),
        "waitlisted": _("De bijeenkomst is vol. Je staat op de wachtlijst."),
        "pending": _("Je aanmelding is ontvangen. De coördinator beslist erover."),
        "already_registered": _("Je bent al aangemeld voor deze bijeenkomst."),
    }
    flash(messages[result.status], "success")
    return redirect(url_for("events.show_event", event_id=event.id))


@bp.post("/events/<int:event_id>/unregister")
@member_required
def unregister(event_id: int):
    event, _membership = _load(event_id)
    try:
        cancelled = registrations.unregister_from_event(event, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("events.show_event", event_id=event.id))
    db.session.commit()
    if cancelled is not None:
        flash(_("Je bent afgemeld."), "success")
    return redirect(url_for("events.show_event", event_id=event.id))


# --- attendees ----------------------------------------------------------------------


@bp.get("/events/<int:event_id>/attendees")
@member_required
def attendees(event_id: int):
    event, membership = _load(event_id)
    require(policies.can_manage_event(current_user, event, membership))
    return render_template(
        "events/attendees.html",
        event=event,
        registrations=queries.attendees(event),
        can_mark=policies.can_mark_attendance(current_user, event, membership, utcnow()),
        form=AttendanceForm(),
    )


def _registration_of(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/approve")
@member_required
def approve_registration(event_id: int, registration_id: int):
    event, membership = _load(event_id)
    require(policies.can_manage_event(current_user, event, membership))
    status = registrations.approve_registration(
        _registration_of(event, registration_id), current_user
    )
    db.session.commit()
    if status == "confirmed":
        flash(_("Aanmelding goedgekeurd."), "success")
    else:
        flash(_("Aanmelding goedgekeurd; de bijeenkomst is vol, dus op de wachtlijst."), "success")
    return redirect(url_for("events.attendees", event_id=event.id))


@bp.post("/events/<int:event_id>/attendees/<int:registration_id>/decline")
@member_required
def decline_registration(event_id: int, registration_id: int):
    event, membership = _load(event_id)
    require(policies.can_manage_event(current_user, event, membership))
    registrations.decline_registration(_registration_of(event, registration_id), current_user)
    db.session.commit()
    flash(_("Aanmelding afgewezen."), "success")
    return redirect(url_for("events.attendees", event_id=event.id))


@bp.post("/events/<int:event_id>/attendance")
@member_required
def mark_attendance(event_id: int):
    event, membership = _load(event_id)
    require(policies.can_mark_attendance(current_user, event, membership, utcnow()))
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    ids = {int(v) for v in request.form.getlist("attended") if v.isdigit()}
    count = registrations.mark_attendance(event, ids)
    db.session.commit()
    flash(_("Aanwezigheid opgeslagen (%(count)s aanwezig).", count=count), "success")
    return redirect(url_for("events.attendees", event_id=event.id))


@bp.get("/events/<int:event_id>/attendees.csv")
@member_required
def attendees_csv(event_id: int):
    event, membership = _load(event_id)
    require(policies.can_manage_event(current_user, event, membership))
    return Response(
        exports.attendees_csv(event, queries.attendees(event)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="deelnemers-{event.id}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


# --- calendars ----------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def _location_visibility(user, events: list[Event]) -> dict[int, bool]:
    """Per event: may `user` see its address (two queries for the whole list)."""
    managed = queries.managed_group_ids(user)
    confirmed = set(
        db.session.scalars(
            select(Registration.event_id).where(
                Registration.user_id == user.id,
                Registration.status == "confirmed",
                Registration.event_id.in_([e.id for e in events] or [0]),
            )
        )
    )
    return {
        event.id: managed is None or event.group_id in managed or event.id in confirmed
        for event in events
    }


@bp.get("/events/<int:event_id>.ics")
@member_required
def event_ics(event_id: int):
    event, membership, registration = _load_with_registration(event_id)
    show = policies.can_see_location(current_user, event, membership, registration)
    return _ics_response(build_calendar([(event, show)]), f"bijeenkomst-{event.id}.ics")


@bp.get("/groups/<slug>/events.ics")
@member_required
def group_feed(slug: str):
    group = queries.group_by_slug(slug) or abort(404)
    membership = membership_for(current_user, group)
    require(policies.can_view_event(current_user, _GroupProxy(group), membership), hide=True)
    since = utcnow() - timedelta(days=FEED_HISTORY_DAYS)
    events = queries.group_events(group, since=since)
    visible = _location_visibility(current_user, events)
    body = build_calendar([(e, visible[e.id]) for e in events], name=group.label)
    return _ics_response(body, f"{group.slug}.ics")


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    """No login: calendar programs fetch it with the secret token in the URL."""
    user = db.session.scalar(select(User).where(User.calendar_token == token)) if token else None
    if user is None or not user.is_active_member:
        abort(404)
    since = utcnow() - timedelta(days=FEED_HISTORY_DAYS)
    events = queries.feed_events(user, since=since)
    visible = _location_visibility(user, events)
    body = build_calendar(
        [(e, visible[e.id]) for e in events],
        name=f"{current_app.config['SITE_NAME']}: {_('mijn bijeenkomsten')}",
    )
    return _ics_response(body, "bijeenkomsten.ics")


@bp.post("/account/calendar/regenerate")
@member_required
def regenerate_calendar_token():
    services.regenerate_calendar_token(current_user)
    db.session.commit()
    flash(_("Er is een nieuwe agenda-link gemaakt. De oude werkt niet meer."), "success")
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("events.list_events")
    return redirect(target)
