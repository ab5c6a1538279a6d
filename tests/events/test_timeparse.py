"""Local time entry around the DST changes (last Sundays of March and October)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from events.timeparse import LocalTimeError, dst_choice_of, parse_local_input, to_utc

ZONE = "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("entered", "choice", "expected_utc"),
    [
        ("2027-03-28T01:59", None, datetime(2027, 3, 28, 0, 59, tzinfo=UTC)),
        ("2027-03-28T03:00", None, datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        ("2026-10-25T02:30", "summer", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("2026-10-25T02:30", "winter", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("2026-10-25T03:00", None, datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        ("2026-10-05T09:30", None, datetime(2026, 10, 5, 7, 30, tzinfo=UTC)),
        ("2027-01-15T09:30", None, datetime(2027, 1, 15, 8, 30, tzinfo=UTC)),
    ],
)
def test_local_times_become_the_right_utc_instant(entered, choice, expected_utc):
    assert to_utc(parse_local_input(entered), ZONE, choice) == expected_utc


@pytest.mark.parametrize("entered", ["2027-03-28T02:00", "2027-03-28T02:30", "2026-03-29T02:59"])
def test_times_in_the_spring_forward_gap_are_refused(entered):
    with pytest.raises(LocalTimeError) as info:
        to_utc(parse_local_input(entered), ZONE)
    assert info.value.code == "nonexistent"


@pytest.mark.parametrize("entered", ["2026-10-25T02:00", "2026-10-25T02:30", "2027-10-31T02:59"])
def test_times_in_the_repeated_autumn_hour_need_an_explicit_choice(entered):
    with pytest.raises(LocalTimeError) as info:
        to_utc(parse_local_input(entered), ZONE)
    assert info.value.code == "ambiguous"


def test_a_stored_autumn_time_remembers_which_occurrence_it_was():
    summer = to_utc(parse_local_input("2026-10-25T02:30"), ZONE, "summer")
    winter = to_utc(parse_local_input("2026-10-25T02:30"), ZONE, "winter")
    assert (dst_choice_of(summer, ZONE), dst_choice_of(winter, ZONE)) == ("summer", "winter")


def test_garbage_is_refused_as_invalid():
    with pytest.raises(LocalTimeError) as info:
        parse_local_input("morgen om negen")
    assert info.value.code == "invalid"
