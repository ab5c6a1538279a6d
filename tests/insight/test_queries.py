"""Every figure of the region page and the national overview against the hand-counted
fixture (tests/insight/conftest.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from core.extensions import db
from core.taxonomy import Region, Sector
from insight.periods import parse_period
from insight.queries import national_rows, region_figures
from insight.rollups import refresh_rollups
from tests.conftest import count_queries
from tests.insight.conftest import HAND_COUNTED, NOW, term_id


def _figures(region_key="utrecht", period_key="3m"):
    refresh_rollups(NOW)
    db.session.commit()
    region = db.session.get(Region, term_id(Region, region_key))
    return region_figures(region, parse_period(period_key, NOW))


def _by_key(partition) -> dict:
    keys = {term_id(Sector, k): k for k in ("onderwijs", "politie", "wijkteam")}
    return {keys[sid]: c.value for sid, c in partition.cells.items() if sid in keys}


def test_members_and_active_members_per_sector_match_the_hand_count(utrecht):
    figures = _figures()
    for name in ("members", "active_members"):
        cells, total = HAND_COUNTED[name]
        partition = getattr(figures, name)
        assert _by_key(partition) == cells, name
        assert partition.total.value == total, name


def test_forum_and_meeting_figures_per_sector_match_the_hand_count(utrecht):
    figures = _figures()
    for metric in ("threads", "questions", "questions_answered", "multi_sector_threads",
                   "registrations", "attended"):  # fmt: skip
        cells, total = HAND_COUNTED[metric]
        partition = figures.per_sector[metric]
        assert {k: v for k, v in _by_key(partition).items() if k in cells} == cells, metric
        assert partition.total.value == total, metric


def test_median_time_to_an_accepted_answer_counts_closed_groups_in_the_total(utrecht):
    # Answered after 10, 20, 30 (closed group), 4 and 6 hours.
    assert _figures().median_answer_hours == 10.0


def test_a_median_of_fewer_than_five_answers_is_not_shown(utrecht):
    assert _figures(period_key="2026-Q4").median_answer_hours is None  # T1, T2, T5, T6


def test_meetings_held_and_signals_are_totals(utrecht):
    totals = _figures().totals
    assert totals["events_held"].value is None  # 2 held; the future and cancelled ones not
    assert totals["signals"].value == 7  # closed group included, Haaglanden not


def test_themes_count_open_groups_only_and_compare_with_the_previous_period(utrecht):
    themes = {row.theme.label: row for row in _figures().themes}
    assert set(themes) == {"Polarisatie", "Complotdenken", "Extremisme"}  # no Jihadisme
    polarisation = themes["Polarisatie"]
    assert (polarisation.current.value, polarisation.previous.value) == (5, 6)
    assert polarisation.change == -1
    assert polarisation.signals.value == 6
    conspiracy = themes["Complotdenken"]
    assert conspiracy.current.is_suppressed
    assert conspiracy.previous.is_suppressed
    assert conspiracy.change is None  # would reveal the hidden counts
    assert conspiracy.signals.is_suppressed
    assert themes["Extremisme"].current.value == 0
    assert themes["Extremisme"].change is None


def test_the_national_overview_shows_each_region_on_its_own(utrecht):
    refresh_rollups(NOW)
    db.session.commit()
    rows = {row.region.key: row for row in national_rows(parse_period("3m", NOW))}
    assert len(rows) == 27
    u = rows["utrecht"]
    assert (u.members.value, u.active_members.value, u.questions.value, u.signals.value) == (
        13,
        11,
        6,
        7,
    )
    assert u.events_held.is_suppressed
    h = rows["haaglanden"]
    assert [h.members.shown, h.questions.shown, h.events_held.shown, h.signals.shown] == [
        "< 5",
        "0",
        "< 5",
        "< 5",
    ]
    assert rows["groningen"].members.value == 0


def test_another_period_counts_other_months(utrecht):
    figures = _figures(period_key="2026-Q3")  # Jul–Sep: T4, T7 and six older threads
    assert figures.per_sector["threads"].total.value == 8
    assert figures.period.previous.first == 202604


def test_the_region_page_figures_take_a_fixed_number_of_queries(utrecht, make_user):
    refresh_rollups(NOW)
    db.session.commit()
    region = db.session.get(Region, term_id(Region, "utrecht"))
    period = parse_period("3m", NOW)
    with count_queries() as small:
        region_figures(region, period)
    for _ in range(20):
        make_user(sector="politie", region="utrecht")
    refresh_rollups(NOW)
    db.session.commit()
    region = db.session.get(Region, term_id(Region, "utrecht"))
    with count_queries() as large:
        region_figures(region, period)
    assert small.count == large.count <= 6


def test_the_national_overview_takes_three_queries(utrecht):
    refresh_rollups(NOW)
    db.session.commit()
    with count_queries() as counter:
        national_rows(parse_period("3m", NOW))
    assert counter.count == 3
