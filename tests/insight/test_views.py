"""The insight pages over HTTP: who sees what, the CSV, bad input, and signals."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region
from insight.export import region_csv_rows
from insight.models import Signal
from insight.periods import parse_period
from insight.queries import region_figures
from tests.insight.conftest import term_id


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "member",
            {
                "/inzicht": 200,
                "/inzicht/utrecht": 200,
                "/inzicht/haaglanden": 403,
                "/inzicht/utrecht.csv": 200,
                "/inzicht/haaglanden.csv": 403,
                "/inzicht/utrecht/signalen": 403,
                "/inzicht/nergens": 404,
            },
        ),
        (
            "policy",
            {
                "/inzicht": 200,
                "/inzicht/utrecht": 200,
                "/inzicht/haaglanden": 200,
                "/inzicht/twente.csv": 200,
                "/inzicht/utrecht/signalen": 403,
            },
        ),
        (
            "coordinator",
            {
                "/inzicht/utrecht": 200,
                "/inzicht/haaglanden": 403,
                "/inzicht/twente": 200,
                "/inzicht/utrecht/signalen": 200,
                "/inzicht/twente/signalen": 403,
            },
        ),
    ],
)
def test_access_matrix(who, expected, refreshed, outsider_coordinator, make_user, client_for):
    user = {
        "member": refreshed.people["t2"],
        "policy": make_user("Beleid", role="policy", region="haaglanden"),
        "coordinator": outsider_coordinator,
    }[who]
    client = client_for(user)
    assert {url: client.get(url).status_code for url in expected} == expected


def test_visitors_and_pending_members_see_no_insight(refreshed, client, client_for, make_user):
    assert "/auth/login" in client.get("/inzicht/utrecht").headers["Location"]
    pending = client_for(refreshed.people["pending"])
    response = pending.get("/inzicht")
    assert response.status_code == 302
    assert "/auth/login" not in response.headers["Location"]


def test_the_region_page_shows_tables_charts_and_small_cells_as_less_than_five(
    refreshed, client_for
):
    page = client_for(refreshed.people["t2"]).get("/inzicht/utrecht?periode=2026-Q4")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('role="img"') >= 3
    assert "<title id=" in html
    assert "&lt; 5" in html
    assert "Polarisatie" in html
    assert "Jihadisme" not in html  # only talked about in a closed group
    assert "Docent" not in html  # never a name
    assert "Gemeente Voorbeeld" not in html  # never an organisation


def test_the_csv_holds_the_same_suppressed_figures_as_the_page(refreshed, client_for):
    response = client_for(refreshed.people["t2"]).get("/inzicht/utrecht.csv?periode=2026-Q4")
    assert response.mimetype == "text/csv"
    assert "inzicht-utrecht-2026-Q4.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    region = db.session.get(Region, term_id(Region, "utrecht"))
    expected = region_csv_rows(region_figures(region, parse_period("2026-Q4", utcnow())))
    assert rows == expected
    values = {(r[0], r[1], r[2]): r[3] for r in rows}
    assert values[("leden", "totaal", "leden")] == "13"
    assert values[("leden", "Wijk-, jeugd- of sociaal team", "leden")] == "< 5"
    assert values[("leden", "Politie", "leden")] == "< 5"  # secondary suppression
    assert values[("signalen", "totaal", "signalen")] == "6"
    assert values[("per sector", "totaal", "gesprekken")] == "5"
    assert not any(v.isdigit() and 0 < int(v) < 5 for v in values.values())


@pytest.mark.parametrize("period", ["bogus", "2020-Q1", "2099-Q1", "<script>"])
def test_an_unknown_period_shows_a_message_and_the_default(period, refreshed, client_for):
    client = client_for(refreshed.people["t2"])
    response = client.get(f"/inzicht/utrecht?periode={period}")
    assert response.status_code == 400
    assert "Deze periode kennen we niet" in response.get_data(as_text=True)
    assert client.get(f"/inzicht/utrecht.csv?periode={period}").status_code == 400


def test_the_national_overview_links_only_regions_one_may_open(refreshed, client_for):
    html = client_for(refreshed.people["t2"]).get("/inzicht").get_data(as_text=True)
    assert 'href="/inzicht/utrecht' in html
    assert 'href="/inzicht/haaglanden' not in html
    assert "Haaglanden" in html


# --- signals -----------------------------------------------------------------------------


def _signals():
    return list(db.session.scalars(select(Signal).order_by(Signal.id)))


def test_a_member_marks_a_thread_as_a_signal_from_their_region(refreshed, client_for):
    member = refreshed.people["p5"]
    thread = refreshed.threads["T3"]
    client = client_for(member)
    assert "Markeer als signaal" in client.get(f"/threads/{thread.id}").get_data(as_text=True)
    response = client.post(
        f"/threads/{thread.id}/signal", data={"note": "Zien we ook bij ons op straat."}
    )
    assert response.status_code == 302
    [signal] = [s for s in _signals() if s.user_id == member.id]
    assert (signal.thread_id, signal.region_id, signal.note) == (
        thread.id,
        member.region_id,
        "Zien we ook bij ons op straat.",
    )
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Je hebt dit gesprek als signaal uit je regio gemarkeerd." in page


def test_a_second_signal_on_the_same_thread_counts_once(refreshed, client_for):
    member, thread = refreshed.people["p5"], refreshed.threads["T3"]
    client = client_for(member)
    for _ in range(2):
        client.post(f"/threads/{thread.id}/signal", data={"note": "Zie ik ook."})
    assert sum(s.user_id == member.id for s in _signals()) == 1


def test_the_database_refuses_a_second_signal_per_member_and_thread(refreshed):
    member, thread = refreshed.people["p5"], refreshed.threads["T3"]
    db.session.add(
        Signal(thread_id=thread.id, user_id=member.id, region_id=member.region_id, note="Een")
    )
    db.session.commit()
    db.session.add(
        Signal(thread_id=thread.id, user_id=member.id, region_id=member.region_id, note="Twee")
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_empty_sentence_is_refused_in_the_page(refreshed, client_for):
    client = client_for(refreshed.people["p5"])
    response = client.post(f"/threads/{refreshed.threads['T3'].id}/signal", data={"note": "  "})
    assert response.status_code == 400
    assert "Schrijf in één zin" in response.get_data(as_text=True)
    assert all(s.user_id != refreshed.people["p5"].id for s in _signals())


def test_the_privacy_guard_blocks_a_bsn_and_keeps_the_text(refreshed, client_for):
    client = client_for(refreshed.people["p5"])
    note = "Het gaat om bsn 111222333 uit de wijk."
    response = client.post(
        f"/threads/{refreshed.threads['T3'].id}/signal", data={"note": note, "privacy_checked": "y"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dit kan niet worden geplaatst" in html
    assert 'value="Het gaat om bsn 111222333 uit de wijk."' in html
    assert all(s.user_id != refreshed.people["p5"].id for s in _signals())


def test_a_privacy_warning_needs_confirmation(refreshed, client_for):
    client = client_for(refreshed.people["p5"])
    url = f"/threads/{refreshed.threads['T3'].id}/signal"
    note = "Ouders bellen vaak naar 06-12345678 van het buurthuis."
    first = client.post(url, data={"note": note})
    assert first.status_code == 400
    assert "Controleer je tekst op persoonsgegevens" in first.get_data(as_text=True)
    assert client.post(url, data={"note": note, "privacy_checked": "y"}).status_code == 302
    assert any(s.user_id == refreshed.people["p5"].id for s in _signals())


def test_no_signal_on_a_thread_one_may_not_read(refreshed, client_for):
    closed_thread = refreshed.threads["T5"]
    client = client_for(refreshed.people["p5"])
    response = client.post(f"/threads/{closed_thread.id}/signal", data={"note": "Zie ik ook."})
    assert response.status_code == 404


def test_a_member_withdraws_their_signal(refreshed, client_for):
    member, thread = refreshed.people["t2"], refreshed.threads["T1"]
    client_for(member).post(f"/threads/{thread.id}/signal/withdraw")
    assert all(not (s.user_id == member.id and s.thread_id == thread.id) for s in _signals())


def test_coordinators_read_the_sentences_without_names(refreshed, outsider_coordinator, client_for):
    html = client_for(outsider_coordinator).get("/inzicht/utrecht/signalen").get_data(as_text=True)
    assert html.count("Zien we vaker in de regio.") == 7  # Utrecht's, not Haaglanden's
    assert "Docent" not in html
    assert "in een groep die je niet leest" in html  # the closed group's thread title stays hidden
    assert refreshed.threads["T5"].title not in html


def test_the_region_page_counts_signals_but_never_shows_the_sentences(
    refreshed, make_user, client_for
):
    officer = make_user("Beleid", role="policy", region="utrecht")
    html = client_for(officer).get("/inzicht/utrecht?periode=2026-Q4").get_data(as_text=True)
    assert "Zien we vaker in de regio." not in html


def test_the_region_page_in_english(refreshed, make_user, client_for):
    member = make_user("Reader", region="utrecht", language="en")
    html = client_for(member).get("/inzicht/utrecht?periode=2026-Q4").get_data(as_text=True)
    assert "Insight: Utrecht" in html
    assert "Members by sector" in html
    assert "october 2026" in html.lower()
