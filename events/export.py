"""The attendee list as CSV for coordinators, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask_babel import gettext as _

from core.i18n import zone_for
from events.models import Event, Registration

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STATUS_LABELS = {
    "confirmed": "Aangemeld",
    "waitlisted": "Wachtlijst",
    "pending": "Wacht op goedkeuring",
    "cancelled": "Afgemeld",
    "declined": "Afgewezen",
}


def csv_cell(value) -> str:
    """Neutralise spreadsheet formulas: a leading = + - @ tab or CR gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def attendees_csv_text(event: Event, registrations: Iterable[Registration]) -> str:
    """UTF-8 text with a BOM (so spreadsheets read the accents), one row per registration."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Status"), _("Aangemeld op"), _("Naam"), _("E-mail"), _("Organisatie"),
         _("Sector"), _("Aanwezig")]
    )  # fmt: skip
    zone = zone_for(event.timezone)
    for registration in registrations:
        user = registration.user
        attended = {True: _("ja"), False: _("nee")}.get(registration.attended, "")
        writer.writerow(
            csv_cell(value)
            for value in (
                _(STATUS_LABELS.get(registration.status, registration.status)),
                registration.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                user.public_name,
                "" if user.is_deleted else user.email,
                "" if user.is_deleted else user.organisation,
                user.sector.label if user.sector else "",
                attended,
            )
        )
    return "\ufeff" + buffer.getvalue()
