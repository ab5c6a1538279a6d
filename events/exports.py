"""Files built for download: the attendee list (CSV) and the certificate of attendance
(PDF). Pure builders: the views check permissions and send the bytes."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from core.db import utcnow
from core.i18n import zone_for
from events.certificate import attendance_pdf
from events.emails import local_span
from events.models import Event, Registration

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a leading = + - @ tab or CR gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


STATUS_LABELS = {
    "confirmed": "Aangemeld",
    "waitlisted": "Wachtlijst",
    "pending": "Wacht op goedkeuring",
    "cancelled": "Afgemeld",
    "declined": "Afgewezen",
}


def attendees_csv(event: Event, registrations: list[Registration]) -> bytes:
    """The attendee list for the coordinator, UTF-8 with a BOM (for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Status"), _("Aangemeld op"), _("Naam"), _("E-mail"), _("Organisatie"),
         _("Sector"), _("Aanwezig")]
    )  # fmt: skip
    for registration in registrations:
        user = registration.user
        attended = {True: _("ja"), False: _("nee")}.get(registration.attended, "")
        writer.writerow(
            csv_cell(value)
            for value in (
                _(STATUS_LABELS.get(registration.status, registration.status)),
                registration.created_at.astimezone(zone_for(event.timezone)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                user.public_name,
                "" if user.is_deleted else user.email,
                "" if user.is_deleted else user.organisation,
                user.sector.label if user.sector else "",
                attended,
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def certificate_pdf(event: Event, user, site_name: str) -> bytes:
    """The member's certificate of attendance, in their language."""
    return attendance_pdf(
        participant=user.display_name,
        organisation=user.organisation,
        event_title=event.title,
        group_name=event.group.label,
        when_text=local_span(event, user),
        duration_minutes=event.duration_minutes,
        accreditation_register=event.accreditation_register,
        accreditation_points=event.accreditation_points,
        site_name=site_name,
        labels={
            "title": _("Bewijs van deelname"),
            "intro": _("Hierbij verklaren wij dat de onderstaande persoon aanwezig was."),
            "participant": _("Deelnemer"),
            "organisation": _("Organisatie"),
            "event": _("Bijeenkomst"),
            "group": _("Groep"),
            "date": _("Datum"),
            "duration": _("Duur"),
            "hours": _("uur"),
            "points": _("Accreditatiepunten"),
            "issued": _("afgegeven op %(date)s", date=utcnow().strftime("%Y-%m-%d")),
        },
    )
