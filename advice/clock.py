"""The working-day clock of the advice desk's service level.

A first answer is due within two working days. Working days follow the Algemene
termijnenwet, the Dutch act that says how legal deadlines are counted: Saturdays,
Sundays and the general public holidays do not count. Those holidays are Nieuwjaarsdag,
Tweede Paasdag, Koningsdag (27 April, 26 April when the 27th is a Sunday), Bevrijdingsdag
(5 May, *every* year under that act, although many collective agreements give it only
every five years), Hemelvaartsdag, Tweede Pinksterdag and both Christmas days. Goede
Vrijdag is not a general holiday, so it counts as a working day. The dates come from the
`holidays` package; this module only applies the act's two differences (5 May every year,
no Good Friday).

A question is due at the end of the second working day after the day it was asked (end of
day: 17:00 Europe/Amsterdam), so a question asked on Friday afternoon is due on Tuesday
at 17:00 and one asked on a Saturday too. Counting in calendar dates keeps the clock
right across the change to and from summer time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

ZONE = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = time(17, 0)
SERVICE_WORKING_DAYS = 2


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The general public holidays of one year under the Algemene termijnenwet."""
    days = set(holidays.country_holidays("NL", years=year))
    days.discard(easter(year) - timedelta(days=2))  # Goede Vrijdag
    days.add(date(year, 5, 5))  # Bevrijdingsdag, every year under the act
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a general public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (which itself need not be a working day)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def due_at(asked_at: datetime, working_days: int = SERVICE_WORKING_DAYS) -> datetime:
    """When the first answer to a question asked at `asked_at` is due (aware, UTC)."""
    local_day = asked_at.astimezone(ZONE).date()
    due_day = add_working_days(local_day, working_days)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=ZONE).astimezone(UTC)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end` (0 if none)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
