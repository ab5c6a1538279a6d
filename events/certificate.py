"""Proof of attendance as a one-page PDF (fpdf2), with its verification code and URL."""

from __future__ import annotations

from fpdf import FPDF

from core.db import utcnow
from events.certificates import CertificateFacts


def _latin1(text: str) -> str:
    # The built-in PDF fonts cover Latin-1; typographic dashes and quotes are mapped.
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("“", '"')
    return text.replace("”", '"').encode("latin-1", "replace").decode("latin-1")


def attendance_pdf(facts: CertificateFacts, labels: dict[str, str]) -> bytes:
    """Platform, participant, organisation, event, date, hours, accreditation and the
    verification code with its URL; `labels` are translated."""
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"{labels['title']} - {facts.event_title}"))
    pdf.set_author(_latin1(facts.site_name))
    pdf.set_creation_date(utcnow())
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 8, _latin1(facts.site_name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 14, _latin1(labels["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 8, _latin1(labels["intro"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rows = [
        (labels["participant"], facts.participant),
        (labels["organisation"], facts.organisation or "-"),
        (labels["event"], facts.event_title),
        (labels["group"], facts.group_name),
        (labels["date"], facts.when_text),
        (labels["duration"], f"{facts.hours_text} {labels['hours']}"),
    ]
    if facts.accreditation_register:
        rows.append((labels["register"], facts.accreditation_register))
    if facts.accreditation_points is not None:
        rows.append((labels["points"], str(facts.accreditation_points)))
    rows.append((labels["code"], facts.code))
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(55, 9, _latin1(label))
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 9, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, _latin1(labels["verify"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(29, 79, 145)
    pdf.cell(0, 8, _latin1(facts.verify_url), link=facts.verify_url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(8)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 6, _latin1(f"{facts.site_name} - {labels['issued']}"))
    return bytes(pdf.output())
