"""Reporting periods: rolling spans of months and calendar quarters, at most two years."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from insight.periods import add_months, last_complete_quarter, parse_period, period_choices

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("key", "first", "last", "previous"),
    [
        (None, 202609, 202611, (202606, 202608)),
        ("3m", 202609, 202611, (202606, 202608)),
        ("12m", 202512, 202611, (202412, 202511)),
        ("24m", 202412, 202611, (202212, 202411)),
        ("2026-Q3", 202607, 202609, (202604, 202606)),
        ("2026-Q4", 202610, 202612, (202607, 202609)),
        ("2025-Q1", 202501, 202503, (202410, 202412)),
    ],
)
def test_periods_and_the_period_before(key, first, last, previous):
    period = parse_period(key, NOW)
    assert (period.first, period.last) == (first, last)
    assert (period.previous.first, period.previous.last) == previous


@pytest.mark.parametrize("key", ["bogus", "2027-Q1", "2024-Q3", "2026-Q5", "'; drop", "36m"])
def test_unknown_future_or_too_old_periods_are_refused(key):
    assert parse_period(key, NOW) is None


def test_month_arithmetic_crosses_years():
    assert add_months(202601, -1) == 202512
    assert add_months(202612, 1) == 202701
    assert add_months(202611, -24) == 202411


def test_the_quarterly_email_reports_the_last_complete_quarter():
    assert last_complete_quarter(NOW).key == "2026-Q3"
    assert last_complete_quarter(datetime(2027, 1, 1, tzinfo=UTC)).key == "2026-Q4"


def test_the_period_select_offers_rolling_spans_and_recent_quarters(sqlite_app):
    keys = [key for key, _label in period_choices(NOW)]
    assert keys[:4] == ["3m", "6m", "12m", "24m"]
    assert keys[4:6] == ["2026-Q4", "2026-Q3"]
    assert all(parse_period(key, NOW) for key in keys)
