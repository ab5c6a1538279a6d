"""iCalendar (RFC 5545) files and feeds for events, built with the icalendar library.

Times carry TZID=<event zone> with its VTIMEZONE. The UID is stable per event and the
SEQUENCE is the event's `ics_sequence`, raised on every significant change, so calendar
programs update the entry they already have instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from core.db import utcnow
from core.i18n import gettext as _
from core.i18n import zone_for
from core.text import html_to_text
from core.urls import external_url

PRODID = "-//Platform JEP//Bijeenkomsten//NL"


def event_uid(event) -> str:
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"event-{event.id}@{host}"


def _local(value: datetime, zone_name: str) -> datetime:
    return value.astimezone(zone_for(zone_name))


def build_vevent(event, *, show_location: bool, now: datetime | None = None) -> icalendar.Event:
    """One VEVENT. The address and online link only when the reader may see them."""
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", now or utcnow())
    item.add("sequence", event.ics_sequence)
    item.add("summary", event.title)
    item.add("dtstart", _local(event.starts_at, event.timezone))
    item.add("dtend", _local(event.ends_at, event.timezone))
    item.add("created", event.created_at)
    item.add("last-modified", event.updated_at)
    item.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    url = external_url("events.show_event", event_id=event.id)
    item.add("url", url)
    description = html_to_text(event.description_html)
    if event.status == "cancelled":
        reason = event.cancellation_reason or ""
        description = f"{_('Geannuleerd')}: {reason}\n\n{description}".strip()
    if show_location and event.online_url:
        description = f"{description}\n\nOnline: {event.online_url}".strip()
    item.add("description", f"{description}\n\n{url}".strip())
    if show_location and event.location:
        item.add("location", event.location)
    _name, address = parseaddr(current_app.config["MAIL_FROM"])
    organizer = icalendar.vCalAddress(f"mailto:{address or 'noreply@localhost'}")
    organizer.params["cn"] = icalendar.vText(current_app.config["SITE_NAME"])
    item.add("organizer", organizer)
    return item


def build_calendar(
    items: Iterable[tuple[object, bool]],
    *,
    method: str | None = None,
    name: str | None = None,
    attendee_email: str | None = None,
) -> bytes:
    """A VCALENDAR of (event, show_location) pairs; `method` REQUEST/CANCEL for email."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    now = utcnow()
    for event, show_location in items:
        vevent = build_vevent(event, show_location=show_location, now=now)
        if attendee_email:
            attendee = icalendar.vCalAddress(f"mailto:{attendee_email}")
            attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            vevent.add("attendee", attendee)
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def invitation_attachment(event, user, *, method: str = "REQUEST", show_location: bool = True):
    """The calendar file attached to emails (uitnodiging.ics)."""
    from core.mail import Attachment

    content = build_calendar([(event, show_location)], method=method, attendee_email=user.email)
    return Attachment(
        filename="uitnodiging.ics",
        content_type="text/calendar",
        content=content.decode("utf-8"),
        params={"method": method},
    )
