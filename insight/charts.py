"""Server-rendered, accessible bar charts and figure cells for the insight pages.

An SVG with role="img", a title and a description, always next to a table with the same
numbers (the table is the source for screen readers; the SVG repeats the figures as text
so nothing is colour-only). Written in Python rather than as Jinja macros: a region page
draws five charts and a few hundred cells, and a macro call per bar and per cell cost
more than the rest of the page together.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from core.i18n import gettext as _
from insight.suppression import Cell

ROW_HEIGHT = 28
LABEL_WIDTH = 240
BAR_SPACE = 300
LABEL_CHARS = 26
_LEEWAY = 5  # as Jinja's truncate: a label up to 31 characters is shown whole


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARS + _LEEWAY:
        return label
    return label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    chart_id: str, title: str, description: str, bars: Iterable[tuple[str, Cell]]
) -> Markup:
    """A horizontal bar chart of (label, cell); a hidden cell (< 5) gets no bar, only
    its label and "< 5"."""
    bars = list(bars)
    values = [c.value for _label, c in bars if c.value is not None]
    top = max(values) if values else 0
    height = ROW_HEIGHT * len(bars) + 8
    cid = escape(chart_id)
    desc = "".join(f" {escape(label)}: {escape(c.shown)}." for label, c in bars)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 600 {height}" width="600" '
        f'height="{height}"\n     aria-labelledby="{cid}-title {cid}-desc" focusable="false">\n'
        f'  <title id="{cid}-title">{escape(title)}</title>\n'
        f'  <desc id="{cid}-desc">{escape(description)}{desc}</desc>\n'
    ]
    for index, (label, c) in enumerate(bars):
        y = index * ROW_HEIGHT + 4
        parts.append(
            f'  <text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + 17}" '
            f'text-anchor="end">{escape(_short(str(label)))}</text>\n'
        )
        if c.value and top:
            width = max(round(c.value / top * BAR_SPACE, 1), 2)
            parts.append(
                f'  <rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width}" '
                f'height="{ROW_HEIGHT - 10}"></rect>\n'
                f'  <text class="chart-value" x="{LABEL_WIDTH + width + 6}" y="{y + 17}">'
                f"{escape(c.shown)}</text>\n"
            )
        else:
            parts.append(
                f'  <text class="chart-value chart-value-hidden" x="{LABEL_WIDTH + 4}" '
                f'y="{y + 17}">{escape(c.shown)}</text>\n'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every label and figure was escaped above


def figure(c: Cell) -> Markup:
    """A cell as the tables show it: a hidden one says why in its title."""
    if c.is_suppressed:
        why = _(
            "Minder dan 5, of verborgen zodat een klein aantal niet uit een totaal te berekenen is"
        )
        return Markup('<span class="suppressed" title="{}">{}</span>').format(why, c.shown)
    return escape(c.shown)


def delta(value: int | None) -> Markup:
    """A change against the previous period, "+3", or "onbekend" when hidden."""
    if value is None:
        return Markup('<span class="meta">{}</span>').format(_("onbekend"))
    return escape(f"+{value}" if value > 0 else str(value))
