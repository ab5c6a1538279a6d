"""Reporting periods: spans of whole months (UTC) ending with a given month.

The insight pages count by month (the rollups' grain). A period is the last 3, 6, 12 or
24 months up to and including the current one, or one calendar quarter; the previous
period is the same number of months just before it. Pure functions, tested as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date

from core.i18n import lazy_gettext as _l

ROLLING = {"3m": 3, "6m": 6, "12m": 12, "24m": 24}
DEFAULT_PERIOD = "3m"
MAX_MONTHS = 24
QUARTERS_OFFERED = 8
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def month_number(year: int, month: int) -> int:
    """A month as yyyymm (202610), the rollups' key."""
    return year * 100 + month


def month_of(moment: datetime | date) -> int:
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
    return month_number(moment.year, moment.month)


def add_months(month: int, delta: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + delta
    return month_number(index // 12, index % 12 + 1)


def month_start(month: int) -> datetime:
    return datetime(month // 100, month % 100, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    key: str
    first: int  # yyyymm, inclusive
    last: int  # yyyymm, inclusive

    @property
    def months(self) -> int:
        return (self.last // 100 - self.first // 100) * 12 + self.last % 100 - self.first % 100 + 1

    @property
    def previous(self) -> Period:
        return Period(
            key=f"{self.key}-previous",
            first=add_months(self.first, -self.months),
            last=add_months(self.first, -1),
        )

    @property
    def starts_at(self) -> datetime:
        return month_start(self.first)

    @property
    def ends_at(self) -> datetime:
        """Exclusive end: the first moment after the period."""
        return month_start(add_months(self.last, 1))

    @property
    def label(self) -> str:
        match = _QUARTER.match(self.key)
        if match:
            return f"Q{match.group(2)} {match.group(1)}"
        return f"{_fmt(self.first)} – {_fmt(self.last)}"


def month_label(month: int) -> str:
    """ "oktober 2026" in the reader's language."""
    return format_date(date(month // 100, month % 100, 1), "MMMM y")


def _fmt(month: int) -> str:
    return f"{month % 100:02d}-{month // 100}"


def quarter_key(month: int) -> str:
    return f"{month // 100}-Q{(month % 100 - 1) // 3 + 1}"


def quarter_period(key: str) -> Period | None:
    match = _QUARTER.match(key)
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    first = month_number(year, quarter * 3 - 2)
    return Period(key=key, first=first, last=add_months(first, 2))


def last_complete_quarter(now: datetime) -> Period:
    """The calendar quarter before the one `now` is in (for the quarterly email)."""
    first_of_this = month_number(now.year, ((now.month - 1) // 3) * 3 + 1)
    first = add_months(first_of_this, -3)
    return Period(key=quarter_key(first), first=first, last=add_months(first, 2))


def parse_period(key: str | None, now: datetime) -> Period | None:
    """The period a `?periode=` value names, or None when it names none we offer
    (more than two years back, in the future, or not a period at all)."""
    current = month_of(now)
    key = (key or DEFAULT_PERIOD).strip()
    if key in ROLLING:
        return Period(key=key, first=add_months(current, 1 - ROLLING[key]), last=current)
    period = quarter_period(key)
    if period is None or period.first > current:
        return None
    if period.first < add_months(current, 1 - MAX_MONTHS):
        return None
    return period


def period_choices(now: datetime) -> list[tuple[str, str]]:
    """(key, label) for the period select: the rolling spans, then recent quarters."""
    choices = [
        ("3m", str(_l("Afgelopen 3 maanden"))),
        ("6m", str(_l("Afgelopen 6 maanden"))),
        ("12m", str(_l("Afgelopen 12 maanden"))),
        ("24m", str(_l("Afgelopen 2 jaar"))),
    ]
    month = month_of(now)
    for _ in range(QUARTERS_OFFERED):
        key = quarter_key(month)
        period = parse_period(key, now)
        if period is not None and key not in {k for k, _label in choices}:
            choices.append((key, period.label))
        month = add_months(month, -3)
    return choices
