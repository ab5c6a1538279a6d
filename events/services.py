"""Event operations: scheduling, sign-ups with capacity and waitlist, reminders.

Services flush, never commit; the view (or task) commits once. The capacity guarantee
lives in the database: a seat is taken with a conditional UPDATE of
`events.confirmed_count` (which waits on the row lock another transaction holds), and a
partial unique index allows one active registration per member and event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_datetime as babel_format_datetime
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from core.db import utcnow
from core.extensions import db
from core.i18n import zone_for
from core.mail import queue_email
from core.signals import event_changed
from core.text import clean_line, clean_multiline, render_markdown
from core.urls import external_url
from events.calendar import invitation_attachment
from events.certificates import new_certificate_code
from events.models import ACTIVE_STATUSES, Event, Registration

#: Changes to these fields are sent to every confirmed and waitlisted member.
NOTIFY_FIELDS = ("starts_at", "ends_at", "location", "online_url")
#: Changes to these raise the calendar SEQUENCE.
SEQUENCE_FIELDS = (*NOTIFY_FIELDS, "title", "description_source")


class EventError(ValueError):
    """An operation that the event's state does not allow; the message is for people."""


@dataclass(frozen=True)
class EventData:
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    event_type_id: int | None = None
    timezone: str = "Europe/Amsterdam"
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    registration_deadline: datetime | None = None
    requires_approval: bool = False
    accreditation_register: str = ""
    accreditation_points: int | None = None
    chatham_house: bool = False


@dataclass(frozen=True)
class RegisterResult:
    """`status`: confirmed | waitlisted | pending | already_registered."""

    status: str
    registration: Registration | None = None


def _validate(data: EventData) -> None:
    if data.ends_at <= data.starts_at:
        raise EventError(str(_l("Het einde moet na het begin liggen.")))
    if data.registration_deadline is not None and data.registration_deadline > data.starts_at:
        raise EventError(str(_l("De aanmelddeadline moet voor het begin liggen.")))
    if data.capacity is not None and data.capacity < 1:
        raise EventError(str(_l("Het aantal plaatsen moet minstens 1 zijn.")))


def _apply(event: Event, data: EventData) -> None:
    event.title = clean_line(data.title)
    event.description_source = data.description
    event.description_html = str(render_markdown(data.description))
    event.event_type_id = data.event_type_id or None
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.timezone = data.timezone
    event.location = clean_line(data.location)
    event.online_url = data.online_url
    event.capacity = data.capacity
    event.registration_deadline = data.registration_deadline
    event.requires_approval = data.requires_approval
    event.accreditation_register = clean_line(data.accreditation_register)
    event.accreditation_points = data.accreditation_points
    event.chatham_house = data.chatham_house


def create_event(group, data: EventData, actor) -> Event:
    """Schedule an event for `group`."""
    _validate(data)
    event = Event(group_id=group.id, group=group, created_by_id=getattr(actor, "id", None))
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    event_changed.send(event, event=event, action="create", changes={}, actor=actor)
    return event


def update_event(event: Event, data: EventData, actor) -> dict[str, tuple]:
    """Change an event. Returns the changed fields as {name: (old, new)}.

    A change of time or place is emailed, with the updated calendar file, to every
    confirmed and waitlisted member; a moved event gets a new reminder.
    """
    if event.status != "scheduled":
        raise EventError(str(_l("Een geannuleerde bijeenkomst kan niet worden gewijzigd.")))
    _validate(data)
    if data.capacity is not None and data.capacity < event.confirmed_count:
        raise EventError(
            str(
                _l(
                    "Er zijn al %(count)s deelnemers aangemeld; kies minstens zoveel plaatsen.",
                    count=event.confirmed_count,
                )
            )
        )
    fields = (*SEQUENCE_FIELDS, "capacity", "registration_deadline", "event_type_id")
    before = {name: getattr(event, name) for name in fields}
    _apply(event, data)
    changes = {
        name: (before[name], getattr(event, name))
        for name in fields
        if before[name] != getattr(event, name)
    }
    if not changes:
        return changes
    now = utcnow()
    event.updated_at = now
    if any(name in changes for name in SEQUENCE_FIELDS):
        event.ics_sequence += 1
    db.session.flush()
    if "starts_at" in changes:
        db.session.execute(
            update(Registration)
            .where(Registration.event_id == event.id)
            .values(reminder_sent_at=None)
            .execution_options(synchronize_session="fetch")
        )
    if "capacity" in changes:
        promote_from_waitlist(event, now)
    notify = {name: change for name, change in changes.items() if name in NOTIFY_FIELDS}
    if notify:
        for registration in _registrations(event, ("confirmed", "waitlisted")):
            if not _wants_email(registration.user, "event_changes"):
                continue
            _send(
                registration,
                "events/changed",
                _l("Gewijzigd: %(title)s", title=event.title),
                changes=_describe_changes(notify, event, registration),
                key=f"event-changed:{event.id}:{event.ics_sequence}:{registration.user_id}",
            )
    event_changed.send(event, event=event, action="update", changes=changes, actor=actor)
    return changes


def cancel_event(event: Event, actor, reason: str) -> None:
    """Cancel with a reason: every member with an active registration gets it by email,
    with a cancellation calendar file that carries it too."""
    reason = clean_multiline(reason).strip()
    if not reason:
        raise EventError(_l("Schrijf waarom de bijeenkomst niet doorgaat."))
    if event.status == "cancelled":
        return
    event.status = "cancelled"
    event.cancellation_reason = reason
    event.cancelled_at = event.updated_at = utcnow()
    event.ics_sequence += 1
    db.session.flush()
    for registration in _registrations(event, ACTIVE_STATUSES):
        _send(
            registration,
            "events/cancelled",
            _l("Geannuleerd: %(title)s", title=event.title),
            method="CANCEL",
            reason=reason,
            key=f"event-cancelled:{event.id}:{registration.user_id}",
        )
    event_changed.send(
        event, event=event, action="cancel", changes={"status": ("scheduled", "cancelled")},
        actor=actor,
    )  # fmt: skip


# --- sign-ups -----------------------------------------------------------------------


def _take_seat(event_id: int) -> bool:
    """Take one seat if one is free. The condition is checked by the database while it
    holds the row lock, so concurrent requests can never overfill the event."""
    table = Event.__table__
    result = db.session.execute(
        table.update()
        .where(
            table.c.id == event_id,
            or_(table.c.capacity.is_(None), table.c.confirmed_count < table.c.capacity),
        )
        .values(confirmed_count=table.c.confirmed_count + 1)
    )
    return result.rowcount == 1


def _release_seat(event_id: int) -> None:
    table = Event.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == event_id, table.c.confirmed_count > 0)
        .values(confirmed_count=table.c.confirmed_count - 1)
    )


def _lock_event(event_id: int) -> None:
    """Serialise changes to one event's seats (row lock on PostgreSQL; SQLite has one
    writer at a time anyway)."""
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def active_registration(event_id: int, user_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def register_for_event(event: Event, user, now: datetime | None = None) -> RegisterResult:
    """Sign `user` up: confirmed while seats remain, otherwise waitlisted; pending when
    the event requires approval. A second active registration is refused by the unique
    index and answered as "already registered"."""
    from events.policies import registration_is_open

    now = now or utcnow()
    if not registration_is_open(event, now):
        raise EventError(str(_l("Aanmelden voor deze bijeenkomst is niet (meer) mogelijk.")))
    try:
        with db.session.begin_nested():
            if event.requires_approval:
                status = "pending"
            else:
                status = "confirmed" if _take_seat(event.id) else "waitlisted"
            # Stamped after the seat decision: the waitlist follows the order of the lock.
            stamp = utcnow()
            registration = Registration(
                event_id=event.id, user_id=user.id, status=status,
                created_at=stamp, updated_at=stamp,
            )  # fmt: skip
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        return RegisterResult("already_registered", active_registration(event.id, user.id))
    db.session.expire(event, ["confirmed_count"])
    _send(
        registration,
        "events/registered",
        _l("Aanmelding: %(title)s", title=event.title),
        with_calendar=status == "confirmed",
        position=waitlist_position(registration) if status == "waitlisted" else None,
    )
    return RegisterResult(status, registration)


def unregister_from_event(event: Event, user, now: datetime | None = None) -> Registration | None:
    """Withdraw before the start. A freed seat goes to the first waitlisted member in
    the same transaction; that member is emailed. Returns the cancelled registration."""
    now = now or utcnow()
    if now >= event.starts_at:
        raise EventError(str(_l("De bijeenkomst is al begonnen; afmelden kan niet meer.")))
    _lock_event(event.id)
    registration = active_registration(event.id, user.id)
    if registration is None:
        return None
    was_confirmed = registration.status == "confirmed"
    registration.status = "cancelled"
    registration.updated_at = now
    db.session.flush()
    if was_confirmed:
        _release_seat(event.id)
        promote_from_waitlist(event, now)
    db.session.expire(event, ["confirmed_count"])
    return registration


def promote_from_waitlist(event: Event, now: datetime | None = None) -> list[Registration]:
    """Give free seats to waitlisted members, first come first served, and email them."""
    now = now or utcnow()
    promoted: list[Registration] = []
    while True:
        candidate = db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == "waitlisted")
            .order_by(Registration.created_at, Registration.id)
            .limit(1)
            .with_for_update()
        ).first()
        if candidate is None or not _take_seat(event.id):
            break
        candidate.status = "confirmed"
        candidate.promoted_at = candidate.updated_at = now
        db.session.flush()
        promoted.append(candidate)
        db.session.expire(event, ["confirmed_count"])
        _send(
            candidate,
            "events/promoted",
            _l("Er is een plaats vrij: %(title)s", title=event.title),
            key=f"event-promoted:{candidate.id}",
        )
    db.session.expire(event, ["confirmed_count"])
    return promoted


def approve_registration(registration: Registration, actor) -> str:
    """A coordinator accepts a pending registration: confirmed if a seat is free,
    otherwise first-come on the waitlist. Returns the new status."""
    if registration.status != "pending":
        return registration.status
    _lock_event(registration.event_id)
    registration.status = "confirmed" if _take_seat(registration.event_id) else "waitlisted"
    registration.decided_by_id = getattr(actor, "id", None)
    registration.updated_at = utcnow()
    db.session.flush()
    db.session.expire(registration.event, ["confirmed_count"])
    _send(
        registration,
        "events/approved",
        _l("Aanmelding goedgekeurd: %(title)s", title=registration.event.title),
        with_calendar=registration.status == "confirmed",
        key=f"event-approved:{registration.id}",
    )
    return registration.status


def decline_registration(registration: Registration, actor) -> None:
    if registration.status != "pending":
        return
    registration.status = "declined"
    registration.decided_by_id = getattr(actor, "id", None)
    registration.updated_at = utcnow()
    db.session.flush()
    _send(
        registration,
        "events/declined",
        _l("Aanmelding niet goedgekeurd: %(title)s", title=registration.event.title),
        with_calendar=False,
        key=f"event-declined:{registration.id}",
    )


def mark_attendance(event: Event, attended_user_ids: set[int]) -> int:
    """Record who came: every confirmed participant is marked present or absent; those
    present get the verification code their certificate will carry."""
    count = 0
    for registration in _registrations(event, ("confirmed",)):
        registration.attended = registration.user_id in attended_user_ids
        if registration.attended and not registration.certificate_code:
            registration.certificate_code = new_certificate_code()
        count += registration.attended
    db.session.flush()
    return count


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line."""
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(db.func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == "waitlisted",
            or_(
                Registration.created_at < registration.created_at,
                (Registration.created_at == registration.created_at)
                & (Registration.id < registration.id),
            ),
        )
    )
    return int(ahead or 0) + 1


# --- reminders ----------------------------------------------------------------------


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue a reminder for every confirmed participant of events starting within
    EVENT_REMINDER_HOURS. Exactly once per member and start time: the outbox key is
    unique, so a second run (or a second scheduler) queues nothing; a moved event has
    a new start time and so gets a new reminder."""
    now = now or utcnow()
    horizon = now + timedelta(hours=current_app.config["EVENT_REMINDER_HOURS"])
    registrations = db.session.scalars(
        select(Registration)
        .join(Registration.event)
        .where(
            Registration.status == "confirmed",
            Registration.reminder_sent_at.is_(None),
            Event.status == "scheduled",
            Event.starts_at > now,
            Event.starts_at <= horizon,
        )
        .order_by(Registration.id)
    ).all()
    queued = 0
    for registration in registrations:
        event = registration.event
        user = registration.user
        registration.reminder_sent_at = now
        if user.status != "active" or not user.email or not _wants_email(user, "reminders"):
            continue
        message = _send(
            registration,
            "events/reminder",
            _l("Herinnering: %(title)s", title=event.title),
            key=f"reminder:{registration.id}:{event.starts_at.strftime('%Y%m%dT%H%M%SZ')}",
            kind="reminder",
            unsubscribe_url=_unsubscribe_url(user, "reminders"),
        )
        queued += message is not None
    db.session.flush()
    return queued


# --- calendar token ------------------------------------------------------------------


def regenerate_calendar_token(user) -> str:
    """A new secret for the personal feed; the old feed URL stops working."""
    from auth.models import new_calendar_token

    user.calendar_token = new_calendar_token()
    db.session.flush()
    return user.calendar_token


# --- email --------------------------------------------------------------------------


def _registrations(event: Event, statuses) -> list[Registration]:
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(statuses))
            .options(selectinload(Registration.user))
            .order_by(Registration.created_at, Registration.id)
        )
    )


def _wants_email(user, kind: str) -> bool:
    """The member's preference, once the notifications feature provides it."""
    try:
        from notifications.preferences import wants_email
    except ImportError:
        return True
    try:
        return bool(wants_email(user, kind))
    except Exception:  # A preference lookup must never stop an event change.
        return True


def _unsubscribe_url(user, kind: str) -> str | None:
    try:
        from notifications.unsubscribe import unsubscribe_url
    except ImportError:
        return None
    try:
        return unsubscribe_url(user, kind)
    except Exception:
        return None


def local_span(event: Event, user=None, locale: str | None = None) -> str:
    """'woensdag 5 oktober 2026, 09:30–11:30' in the reader's zone, for emails."""
    zone = zone_for(getattr(user, "timezone", None) or event.timezone)
    locale = locale or getattr(user, "language", None) or "nl"
    start = babel_format_datetime(
        event.starts_at, "EEEE d MMMM yyyy, HH:mm", tzinfo=zone, locale=locale
    )
    if event.starts_at.astimezone(zone).date() == event.ends_at.astimezone(zone).date():
        end = babel_format_datetime(event.ends_at, "HH:mm", tzinfo=zone, locale=locale)
        return f"{start}–{end}"
    end = babel_format_datetime(
        event.ends_at, "EEEE d MMMM yyyy, HH:mm", tzinfo=zone, locale=locale
    )
    return f"{start} – {end}"


def _describe_changes(changes: dict, event: Event, registration: Registration) -> list[tuple]:
    """(label, old, new) for the email; the address only for confirmed participants."""
    labels = {
        "starts_at": _l("Begin"),
        "ends_at": _l("Einde"),
        "location": _l("Adres"),
        "online_url": _l("Online link"),
    }
    zone = zone_for(registration.user.timezone or event.timezone)
    locale = registration.user.language or "nl"
    rows = []
    for name, (old, new) in changes.items():
        if name in {"location", "online_url"}:
            if registration.status != "confirmed":
                rows.append((labels[name], None, None))
                continue
        elif old is not None:
            old = babel_format_datetime(old, "EEEE d MMMM yyyy, HH:mm", tzinfo=zone, locale=locale)
            new = babel_format_datetime(new, "EEEE d MMMM yyyy, HH:mm", tzinfo=zone, locale=locale)
        rows.append((labels[name], old or "–", new or "–"))
    return rows


def _send(
    registration: Registration,
    template: str,
    subject,
    *,
    key: str | None = None,
    method: str = "REQUEST",
    with_calendar: bool = True,
    kind: str = "event",
    unsubscribe_url: str | None = None,
    **context,
):
    user = registration.user
    event = registration.event
    if not user.email or user.status in {"deleted", "rejected"}:
        return None
    show_location = registration.status == "confirmed"
    attachments = ()
    if with_calendar:
        attachments = (
            invitation_attachment(event, user, method=method, show_location=show_location),
        )
    return queue_email(
        user.email,
        template,
        subject=subject,
        context={
            "user": user,
            "event": event,
            "registration": registration,
            "when_text": local_span(event, user),
            "show_location": show_location,
            "event_url": external_url("events.show_event", event_id=event.id),
            **context,
        },
        locale=user.language or "nl",
        kind=kind,
        idempotency_key=key,
        unsubscribe_url=unsubscribe_url,
        attachments=attachments,
    )
