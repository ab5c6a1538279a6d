"""Proof of attendance as a one-page PDF (fpdf2)."""

from __future__ import annotations

from fpdf import FPDF

from core.db import utcnow


def _latin1(text: str) -> str:
    # The built-in PDF fonts cover Latin-1; typographic dashes and quotes are mapped.
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("“", '"')
    return text.replace("”", '"').encode("latin-1", "replace").decode("latin-1")


def attendance_pdf(
    *,
    participant: str,
    organisation: str,
    event_title: str,
    group_name: str,
    when_text: str,
    duration_minutes: int,
    accreditation_register: str,
    accreditation_points: int | None,
    site_name: str,
    labels: dict[str, str],
) -> bytes:
    """Name, event, date, duration and accreditation points; `labels` are translated."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{labels['title']} - {event_title}"))
    pdf.set_author(_latin1(site_name))
    pdf.set_creation_date(utcnow())
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 14, _latin1(labels["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 8, _latin1(labels["intro"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    hours, minutes = divmod(duration_minutes, 60)
    duration = f"{hours}:{minutes:02d} {labels['hours']}"
    rows = [
        (labels["participant"], participant),
        (labels["organisation"], organisation or "-"),
        (labels["event"], event_title),
        (labels["group"], group_name),
        (labels["date"], when_text),
        (labels["duration"], duration),
    ]
    if accreditation_register or accreditation_points is not None:
        points = "" if accreditation_points is None else str(accreditation_points)
        rows.append((labels["points"], f"{points} {accreditation_register}".strip()))
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(55, 9, _latin1(label))
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 9, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 6, _latin1(f"{site_name} - {labels['issued']}"))
    return bytes(pdf.output())
