"""Files built for download: the attendee list (CSV) and the certificate of attendance
(PDF). Pure builders: the views check permissions and send the bytes."""

from __future__ import annotations

import csv
import io

from core.i18n import gettext as _
from core.i18n import zone_for
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
