"""Local wall-clock time entry (HTML datetime-local) turned into aware UTC datetimes.

Europe/Amsterdam skips an hour on the last Sunday of March (02:00–03:00 does not exist)
and repeats one on the last Sunday of October (02:00–03:00 happens twice). A time in the
gap is refused; a time in the overlap must be resolved explicitly by the person entering
it: "summer" (the first occurrence, CEST) or "winter" (the second, CET).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.i18n import zone_for

INPUT_FORMAT = "%Y-%m-%dT%H:%M"
SUMMER, WINTER = "summer", "winter"


class LocalTimeError(ValueError):
    """The entered time cannot be turned into one instant. `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "invalid" | "nonexistent" | "ambiguous"


def parse_local_input(value: str) -> datetime:
    """'2026-10-25T02:30' (seconds optional) as a naive wall-clock datetime."""
    value = (value or "").strip()
    for fmt in (INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt)  # noqa: DTZ007 - wall-clock time, zone below
        except ValueError:
            continue
    raise LocalTimeError("invalid")


def is_nonexistent(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time falls in the spring-forward gap."""
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back != naive


def is_ambiguous(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time happens twice (the autumn hour)."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    return first.utcoffset() != second.utcoffset()


def to_utc(naive: datetime, zone_name: str | None, choice: str | None = None) -> datetime:
    """The UTC instant of a local wall-clock time, refusing gaps and unresolved overlaps.

    `choice` ("summer"/"winter") resolves a time that happens twice; without it such a
    time raises LocalTimeError("ambiguous").
    """
    zone = zone_for(zone_name)
    naive = naive.replace(tzinfo=None, fold=0)
    if is_nonexistent(naive, zone):
        raise LocalTimeError("nonexistent")
    if is_ambiguous(naive, zone):
        if choice not in (SUMMER, WINTER):
            raise LocalTimeError("ambiguous")
        naive = naive.replace(fold=0 if choice == SUMMER else 1)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def to_local_input(value: datetime | None, zone_name: str | None) -> str:
    """An aware datetime as the value of a datetime-local input in `zone_name`."""
    if value is None:
        return ""
    return value.astimezone(zone_for(zone_name)).strftime(INPUT_FORMAT)


def dst_choice_of(value: datetime, zone_name: str | None) -> str | None:
    """For an instant in the repeated hour: which occurrence it is (to prefill the form)."""
    local = value.astimezone(zone_for(zone_name))
    naive = local.replace(tzinfo=None)
    if not is_ambiguous(naive, zone_for(zone_name)):
        return None
    return WINTER if local.fold else SUMMER
