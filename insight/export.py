"""The region's figures as CSV rows: the same cells as the page, suppression included."""

from __future__ import annotations

import csv
import io

from core.i18n import gettext as _
from insight.queries import RegionFigures


def region_csv_rows(figures: RegionFigures) -> list[list[str]]:
    """Rows of (section, category, measure, value); hidden figures read "< 5"."""
    rows = [[_("onderdeel"), _("categorie"), _("kenmerk"), _("waarde")]]
    period = figures.period

    def add(section: str, category: str, measure: str, value) -> None:
        rows.append([section, category, measure, "" if value is None else str(value)])

    add(
        _("periode"),
        figures.region.label,
        _("van"),
        f"{period.first // 100}-{period.first % 100:02d}",
    )
    add(
        _("periode"),
        figures.region.label,
        _("tot en met"),
        f"{period.last // 100}-{period.last % 100:02d}",
    )
    for sector in figures.sectors:
        add(_("leden"), sector.label, _("leden"), figures.members.cells[sector.id])
        add(
            _("leden"),
            sector.label,
            _("actief (90 dagen)"),
            figures.active_members.cells[sector.id],
        )
    add(_("leden"), _("totaal"), _("leden"), figures.members.total)
    add(_("leden"), _("totaal"), _("actief (90 dagen)"), figures.active_members.total)
    for metric, measure in (
        ("threads", _("gesprekken")),
        ("questions", _("vragen gesteld")),
        ("questions_answered", _("vragen beantwoord")),
        ("multi_sector_threads", _("gesprekken met meerdere sectoren")),
        ("registrations", _("aanmeldingen")),
        ("attended", _("aanwezig")),
    ):
        partition = figures.per_sector[metric]
        for sector in figures.sectors:
            add(_("per sector"), sector.label, measure, partition.cells[sector.id])
        add(_("per sector"), _("totaal"), measure, partition.total)
    add(
        _("vragen"),
        _("totaal"),
        _("mediaan uren tot geaccepteerd antwoord"),
        figures.median_answer_hours
        if figures.median_answer_hours is not None
        else _("te weinig antwoorden"),
    )
    add(_("bijeenkomsten"), _("totaal"), _("gehouden"), figures.totals["events_held"])
    add(_("signalen"), _("totaal"), _("signalen"), figures.totals["signals"])
    for row in figures.themes:
        add(_("thema's"), row.theme.label, _("gesprekken"), row.current)
        add(_("thema's"), row.theme.label, _("gesprekken vorige periode"), row.previous)
        add(_("thema's"), row.theme.label, _("verschil"), row.change)
        add(_("thema's"), row.theme.label, _("signalen"), row.signals)
    for item in figures.most_read:
        add(_("kennisbank"), item.title, _("gelezen door leden uit de regio"), item.reads)
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        # Spreadsheet formula injection: a label never starts a formula.
        writer.writerow(
            ["'" + v if v[:1] in {"=", "+", "-", "@"} and not _number(v) else v for v in row]
        )
    return out.getvalue()


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
