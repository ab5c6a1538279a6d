"""The events' emails to registered members: building and queueing them (through the
outbox, with the calendar file attached), and the time span as the reader reads it."""

from __future__ import annotations

from babel.dates import format_datetime as babel_format_datetime
from sqlalchemy import select

from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.i18n import zone_for
from core.mail import queue_email
from core.urls import external_url
from events.calendar import invitation_attachment
from events.models import Event, Registration


def registrations_of(event: Event, statuses) -> list[Registration]:
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(statuses))
            .options(selectinload(Registration.user))
            .order_by(Registration.created_at, Registration.id)
        )
    )


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


def describe_changes(changes: dict, event: Event, registration: Registration) -> list[tuple]:
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


def send_registration_email(
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
    # Only people who will attend get a calendar invitation: a waitlisted or pending
    # member must not find the meeting in their calendar, nor an update or a cancellation
    # of an entry they never had.
    with_calendar = with_calendar and registration.status == "confirmed"
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
            "has_calendar": with_calendar,
            "event_url": external_url("events.show_event", event_id=event.id),
            **context,
        },
        locale=user.language or "nl",
        kind=kind,
        idempotency_key=key,
        unsubscribe_url=unsubscribe_url,
        attachments=attachments,
    )
