"""Event operations: scheduling, changing and cancelling, reminders, calendar tokens.
Sign-ups (seats, waitlist) are in events/registrations.py, emails in events/emails.py.

Services flush, never commit; the view (or task) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from core.db import utcnow
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import unsubscribe_url, wants_email
from core.signals import event_changed
from core.text import clean_line, clean_multiline, render_markdown
from events.emails import describe_changes, registrations_of, send_registration_email
from events.models import ACTIVE_STATUSES, Event, Registration
from events.registrations import EventError, promote_from_waitlist

#: Changes to these fields are sent to every confirmed and waitlisted member.
NOTIFY_FIELDS = ("starts_at", "ends_at", "location", "online_url")
#: Changes to these raise the calendar SEQUENCE.
SEQUENCE_FIELDS = (*NOTIFY_FIELDS, "title", "description_source")


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
    event_changed.send(event=event, action="create", changes={}, actor=actor)
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
        for registration in registrations_of(event, ("confirmed", "waitlisted")):
            if not wants_email(registration.user, "event_changes"):
                continue
            send_registration_email(
                registration,
                "events/changed",
                _l("Gewijzigd: %(title)s", title=event.title),
                changes=describe_changes(notify, event, registration),
                key=f"event-changed:{event.id}:{event.ics_sequence}:{registration.user_id}",
            )
    event_changed.send(event=event, action="update", changes=changes, actor=actor)
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
    for registration in registrations_of(event, ACTIVE_STATUSES):
        send_registration_email(
            registration,
            "events/cancelled",
            _l("Geannuleerd: %(title)s", title=event.title),
            method="CANCEL",
            reason=reason,
            key=f"event-cancelled:{event.id}:{registration.user_id}",
        )
    event_changed.send(
        event=event, action="cancel", changes={"status": ("scheduled", "cancelled")},
        actor=actor,
    )  # fmt: skip


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
        if user.status != "active" or not user.email or not wants_email(user, "reminders"):
            continue
        message = send_registration_email(
            registration,
            "events/reminder",
            _l("Herinnering: %(title)s", title=event.title),
            key=f"reminder:{registration.id}:{event.starts_at.strftime('%Y%m%dT%H%M%SZ')}",
            kind="reminder",
            unsubscribe_url=unsubscribe_url(user, "reminders"),
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
