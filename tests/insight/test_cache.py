"""The region page's figures are cached per region, period, language and rollup refresh:
a refresh shows new figures at once, access is still decided per request, a region's
cached figures never reach another region's page, and the page takes a fixed number of
queries, cold or warm, small or large."""

from __future__ import annotations

import csv
import io

from core.db import utcnow
from core.extensions import db
from insight.cache import FiguresCache, figures_cache
from insight.rollups import refresh_rollups
from knowledge.reads import increment
from knowledge.services import archive_item
from tests.conftest import count_queries
from tests.factories import make_knowledge_item
from tests.insight.conftest import insight_thread

PAGE = "/inzicht/utrecht?periode=3m"


def _csv(client, url: str = "/inzicht/utrecht.csv?periode=3m") -> dict:
    body = client.get(url).get_data(as_text=True).lstrip("\ufeff")
    return {(r[0], r[1], r[2]): r[3] for r in csv.reader(io.StringIO(body))}


def _gaming_threads(world, count: int = 5) -> None:
    """`count` threads on a theme nobody in Utrecht talked about yet."""
    today = utcnow().date().isoformat()
    for _ in range(count):
        insight_thread(world.groups["open"], world.people["t2"], today, tags=("gaming",))
    db.session.commit()


def test_a_refresh_shows_the_new_figures_on_the_page_and_in_the_csv(refreshed, client_for):
    client = client_for(refreshed.people["t2"])
    before = _csv(client)
    assert "Gaming" not in client.get(PAGE).get_data(as_text=True)
    _gaming_threads(refreshed)
    # Not refreshed yet: the page shows what the rollups hold.
    assert "Gaming" not in client.get(PAGE).get_data(as_text=True)
    refresh_rollups(utcnow())
    db.session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Gaming" in html
    after = _csv(client)
    threads = ("per sector", "totaal", "gesprekken")
    assert int(after[threads]) == int(before[threads]) + 5


def test_a_refresh_at_the_same_moment_still_replaces_the_cached_figures(refreshed, client_for):
    now = utcnow()
    refresh_rollups(now)
    db.session.commit()
    client = client_for(refreshed.people["t2"])
    assert "Gaming" not in client.get(PAGE).get_data(as_text=True)
    _gaming_threads(refreshed)
    refresh_rollups(now)  # the same refreshed_at: the stamp differs all the same
    db.session.commit()
    assert "Gaming" in client.get(PAGE).get_data(as_text=True)


def test_a_warm_cache_does_not_open_a_region_to_a_member_of_another(
    refreshed, make_user, client_for
):
    officer = client_for(make_user("Beleid", role="policy", region="utrecht"))
    assert officer.get("/inzicht/haaglanden").status_code == 200
    assert officer.get("/inzicht/haaglanden.csv").status_code == 200
    member = client_for(refreshed.people["t2"])  # Utrecht
    assert member.get("/inzicht/haaglanden").status_code == 403
    assert member.get("/inzicht/haaglanden.csv").status_code == 403


def test_a_coordinator_reads_the_notes_link_only_on_the_region_they_coordinate(
    refreshed, outsider_coordinator, make_user, client_for
):
    officer = client_for(make_user("Beleid", role="policy", region="twente"))
    assert "/signalen" not in officer.get(PAGE).get_data(as_text=True)  # warms the cache
    coordinator = client_for(outsider_coordinator)
    assert "/inzicht/utrecht/signalen" in coordinator.get(PAGE).get_data(as_text=True)
    twente = coordinator.get("/inzicht/twente").get_data(as_text=True)
    assert "/signalen" not in twente


def test_each_region_page_shows_its_own_figures_whoever_warmed_the_cache(
    refreshed, make_user, client_for
):
    officer = client_for(make_user("Beleid", role="policy", region="haaglanden"))
    haaglanden = _csv(officer, "/inzicht/haaglanden.csv?periode=3m")
    officer.get("/inzicht/haaglanden?periode=3m")
    utrecht = _csv(client_for(refreshed.people["t2"]))
    assert utrecht != haaglanden
    assert utrecht[("leden", "totaal", "leden")] == "13"  # the hand count
    html = client_for(refreshed.people["t3"]).get(PAGE).get_data(as_text=True)
    assert "Inzicht: Utrecht" in html
    assert "Haaglanden</h1>" not in html


def test_the_cache_keeps_languages_apart(refreshed, make_user, client_for):
    dutch = client_for(refreshed.people["t2"]).get(PAGE).get_data(as_text=True)
    assert "Leden per sector" in dutch
    english = client_for(make_user("Reader", region="utrecht", language="en"))
    html = english.get(PAGE).get_data(as_text=True)
    assert "Members by sector" in html
    assert "Leden per sector" not in html


def test_an_unpublished_item_leaves_the_most_read_list_before_the_next_refresh(
    refreshed, make_user, client_for
):
    editor, reviewer = make_user(role="editor"), make_user(role="editor")
    item = make_knowledge_item(
        editor, title="Een veelgelezen handreiking", status="published", reviewer=reviewer
    )
    for _ in range(6):
        increment(item.id, refreshed.people["t2"].region_id, utcnow().date())
    refresh_rollups(utcnow())
    db.session.commit()
    client = client_for(refreshed.people["t2"])
    assert "Een veelgelezen handreiking" in client.get(PAGE).get_data(as_text=True)
    archive_item(item, reviewer)
    db.session.commit()
    assert "Een veelgelezen handreiking" not in client.get(PAGE).get_data(as_text=True)


def test_the_region_page_takes_the_same_queries_cold_warm_small_and_large(
    refreshed, make_user, client_for
):
    client = client_for(refreshed.people["t2"])
    client.get("/over")  # the login's first page loads what every page shares
    with count_queries() as cold:
        assert client.get(PAGE).status_code == 200
    with count_queries() as warm:
        client.get(PAGE)
    for _ in range(10):
        make_user(sector="politie", region="utrecht")
    _gaming_threads(refreshed, count=30)
    refresh_rollups(utcnow())
    db.session.commit()
    with count_queries() as large_cold:
        client.get(PAGE)
    with count_queries() as large_warm:
        client.get(PAGE)
    assert cold.count == large_cold.count
    assert warm.count == large_warm.count
    assert warm.count < cold.count
    assert warm.count <= 5


def test_the_overview_takes_the_same_queries_small_and_large(refreshed, make_user, client_for):
    client = client_for(refreshed.people["t2"])
    client.get("/inzicht")
    with count_queries() as small:
        client.get("/inzicht")
    for region in ("twente", "haaglanden", "groningen"):
        make_user(sector="politie", region=region)
    refresh_rollups(utcnow())
    db.session.commit()
    client.get("/inzicht")
    with count_queries() as large:
        client.get("/inzicht")
    assert small.count == large.count <= 5


def test_without_a_refresh_nothing_is_cached(utrecht, client_for):
    client_for(utrecht.people["t2"]).get(PAGE)
    assert len(figures_cache()) == 0


def test_the_cache_forgets_the_least_recently_used_entry():
    cache = FiguresCache(max_entries=2)
    cache.get_or_make("a", lambda: 1)
    cache.get_or_make("b", lambda: 2)
    cache.get_or_make("a", lambda: 0)  # used again: "b" is now the oldest
    cache.get_or_make("c", lambda: 3)
    assert cache.get_or_make("a", lambda: "recomputed") == 1
    assert cache.get_or_make("b", lambda: "recomputed") == "recomputed"
