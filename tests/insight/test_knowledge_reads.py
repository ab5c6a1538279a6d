"""The region page's "most read in the kennisbank": counted by hand from the fixture
below, on SQLite and PostgreSQL; small counts are not named; the CSV has the same rows;
the figures still take a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from core.extensions import db
from core.taxonomy import Region
from insight.export import region_csv_rows
from insight.models import Rollup
from insight.periods import parse_period
from insight.queries import region_figures
from insight.rollups import refresh_rollups
from knowledge.reads import increment
from tests.conftest import count_queries
from tests.factories import make_knowledge_item
from tests.insight.conftest import NOW, term_id
from tests.knowledge.conftest import signed_in_client

#: (item, region, day, reads). Current period (3 months to NOW): Sep–Nov 2026.
READS = [
    ("A", "utrecht", "2026-10-01", 3),
    ("A", "utrecht", "2026-11-02", 4),  # A: 3 + 4 = 7 this period
    ("A", "utrecht", "2026-08-10", 6),  # previous period only
    ("A", "haaglanden", "2026-10-01", 9),  # another region
    ("B", "utrecht", "2026-09-05", 5),  # B: 5, exactly the threshold
    ("B", "utrecht", "2026-12-01", 10),  # after the period
    ("C", "utrecht", "2026-10-20", 3),  # C: 3, under five: not named
    ("D", "utrecht", "2026-10-01", 8),  # D is archived: not listed
]
TITLES = {
    "A": "Gesprekstechnieken bij polarisatie",
    "B": "Handreiking complotdenken in de klas",
    "C": "Een zeldzame interventie",
    "D": "Een gearchiveerde handreiking",
}


@pytest.fixture
def read_items(utrecht, make_user):
    anna = make_user("Anna Redactie", role="editor")
    bram = make_user("Bram Redactie", role="editor")
    items = {
        key: make_knowledge_item(
            anna,
            title=title,
            slug=f"item-{key.lower()}",
            status="archived" if key == "D" else "published",
            reviewer=bram,
        )
        for key, title in TITLES.items()
    }
    for key, region, day, reads in READS:
        for _ in range(reads):
            increment(items[key].id, term_id(Region, region), date.fromisoformat(day))
    db.session.commit()
    refresh_rollups(NOW)
    db.session.commit()
    return items


def _figures(period_key="3m", region_key="utrecht"):
    region = db.session.get(Region, term_id(Region, region_key))
    return region_figures(region, parse_period(period_key, NOW))


def test_the_rollups_hold_the_reads_per_region_month_and_item(read_items):
    ids = {item.id: key for key, item in read_items.items()}
    regions = {term_id(Region, k): k for k in ("utrecht", "haaglanden")}
    stored = {
        (regions[r.region_id], r.month, ids[r.key_id]): r.value
        for r in db.session.scalars(select(Rollup).where(Rollup.metric == "kb_reads"))
    }
    assert stored == {
        ("utrecht", 202610, "A"): 3,
        ("utrecht", 202611, "A"): 4,
        ("utrecht", 202608, "A"): 6,
        ("haaglanden", 202610, "A"): 9,
        ("utrecht", 202609, "B"): 5,
        ("utrecht", 202612, "B"): 10,
        ("utrecht", 202610, "C"): 3,
    }  # nothing for D: archived items drop out at the next refresh


def test_most_read_items_match_the_hand_count_and_hide_small_counts(read_items):
    rows = [(row.title, row.reads.value) for row in _figures().most_read]
    assert rows == [(TITLES["A"], 7), (TITLES["B"], 5)]  # not C (3), not D (archived)
    rows = [(row.title, row.reads.value) for row in _figures("2026-Q3").most_read]
    assert rows == [(TITLES["A"], 6), (TITLES["B"], 5)]  # Jul–Sep
    assert [row.reads.value for row in _figures(region_key="haaglanden").most_read] == [9]


def test_the_csv_lists_the_same_items(read_items):
    rows = [r for r in region_csv_rows(_figures()) if r[0] == "kennisbank"]
    assert rows == [
        ["kennisbank", TITLES["A"], "gelezen door leden uit de regio", "7"],
        ["kennisbank", TITLES["B"], "gelezen door leden uit de regio", "5"],
    ]


def test_the_region_page_and_its_csv_show_the_items(read_items, utrecht, app):
    client = signed_in_client(app, utrecht.people["t2"])
    html = client.get("/inzicht/utrecht").get_data(as_text=True)
    assert "Meest gelezen in de kennisbank" in html
    assert 'href="/kennisbank/item-a"' in html
    assert TITLES["B"] in html
    assert TITLES["C"] not in html
    assert TITLES["D"] not in html
    body = client.get("/inzicht/utrecht.csv").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert ["kennisbank", TITLES["A"], "gelezen door leden uit de regio", "7"] in lines
    assert not any(TITLES["C"] in line for line in lines)


def test_the_figures_still_take_a_fixed_number_of_queries(read_items, make_user):
    period = parse_period("3m", NOW)
    region = db.session.get(Region, term_id(Region, "utrecht"))
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
