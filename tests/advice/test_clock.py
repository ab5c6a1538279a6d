"""The working-day clock: weekends and Dutch public holidays do not count."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from advice.clock import add_working_days, due_at, is_working_day, public_holidays

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), False),  # Nieuwjaarsdag
        (date(2026, 4, 3), True),  # Goede Vrijdag is no general holiday (Algemene termijnenwet)
        (date(2026, 4, 6), False),  # Tweede Paasdag
        (date(2026, 4, 27), False),  # Koningsdag
        (date(2025, 4, 26), False),  # Koningsdag on the 26th when the 27th is a Sunday
        (date(2026, 5, 5), False),  # Bevrijdingsdag, every year
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2026, 12, 24), True),  # Christmas Eve is a working day
        (date(2026, 12, 5), False),  # a Saturday
        (date(2026, 12, 7), True),  # an ordinary Monday
    ],
)
def test_working_days_follow_the_algemene_termijnenwet(day, expected):
    assert is_working_day(day) is expected


def test_liberation_day_counts_as_a_holiday_also_outside_lustrum_years():
    assert date(2027, 5, 5) in public_holidays(2027)
    assert date(2027, 3, 26) not in public_holidays(2027)  # Goede Vrijdag 2027


def test_a_question_asked_on_friday_is_due_on_tuesday_at_five():
    asked = datetime(2026, 12, 4, 15, 0, tzinfo=AMS)  # Friday
    assert due_at(asked).astimezone(AMS) == datetime(2026, 12, 8, 17, 0, tzinfo=AMS)


def test_a_question_asked_on_saturday_is_due_on_tuesday_too():
    asked = datetime(2026, 12, 5, 10, 0, tzinfo=AMS)
    assert due_at(asked).astimezone(AMS) == datetime(2026, 12, 8, 17, 0, tzinfo=AMS)


def test_easter_monday_and_the_weekend_are_skipped():
    asked = datetime(2026, 4, 2, 9, 0, tzinfo=AMS)  # Thursday before Easter
    # Friday 3 April counts (Goede Vrijdag), weekend and Easter Monday do not: Tuesday.
    assert due_at(asked).astimezone(AMS).date() == date(2026, 4, 7)


def test_christmas_and_the_weekend_are_skipped():
    asked = datetime(2026, 12, 24, 11, 0, tzinfo=AMS)  # Thursday
    # 25 and 26 December (Fri, Sat), Sunday: the second working day is Tuesday 29th.
    assert due_at(asked).astimezone(AMS).date() == date(2026, 12, 29)


def test_ascension_day_and_kings_day_are_skipped():
    assert add_working_days(date(2026, 5, 13), 2) == date(2026, 5, 18)  # Hemelvaart + weekend
    assert add_working_days(date(2026, 4, 24), 2) == date(2026, 4, 29)  # weekend + Koningsdag


def test_a_late_evening_question_counts_from_its_amsterdam_date():
    asked = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 00:30 in Amsterdam
    assert due_at(asked).astimezone(AMS) == datetime(2026, 12, 9, 17, 0, tzinfo=AMS)


def test_due_time_stays_five_oclock_across_the_change_to_winter_time():
    asked = datetime(2026, 10, 23, 12, 0, tzinfo=AMS)  # Friday; clocks go back on Sunday
    due = due_at(asked)
    assert due.astimezone(AMS) == datetime(2026, 10, 27, 17, 0, tzinfo=AMS)
    assert due.utcoffset().total_seconds() == 0
    assert due.hour == 16  # 17:00 CET is 16:00 UTC
