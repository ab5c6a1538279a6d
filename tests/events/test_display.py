"""List items are rendered once and cached: never stale, never another viewer's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from events import registrations, services
from tests.conftest import count_queries


@pytest.fixture
def viewer(app, make_user, login):
    def factory(**fields):
        user = make_user(**fields)
        client = app.test_client()
        login(client, user)
        return client, user

    return factory


def test_a_changed_event_is_never_shown_with_its_old_title_seats_or_status(
    viewer, make_group, make_event, make_user
):
    client, user = viewer()
    coordinator = make_user()
    group = make_group(members=[user], coordinator=coordinator)
    event = make_event(group, title="Eerste titel", capacity=10)
    page = client.get("/events").get_data(as_text=True)
    assert "Eerste titel" in page
    assert "0 van 10 plaatsen bezet" in page

    event.title = "Nieuwe titel"
    registrations.register_for_event(event, make_user())
    db.session.commit()
    page = client.get("/events").get_data(as_text=True)
    assert "Eerste titel" not in page
    assert "Nieuwe titel" in page
    assert "1 van 10 plaatsen bezet" in page
    assert "Geannuleerd" not in page

    services.cancel_event(event, coordinator, reason="De spreker is ziek")
    db.session.commit()
    page = client.get("/events").get_data(as_text=True)
    assert "Geannuleerd" in page


def test_one_members_status_is_never_shown_to_another(viewer, make_group, make_event):
    registered_client, registered = viewer()
    other_client, other = viewer()
    group = make_group(members=[registered, other])
    event = make_event(group, title="Intervisie")
    registrations.register_for_event(event, registered)
    db.session.commit()
    for path in ("/events", f"/groups/{group.slug}"):
        assert "Je bent aangemeld" in registered_client.get(path).get_data(as_text=True)
        page = other_client.get(path).get_data(as_text=True)
        assert "Intervisie" in page
        assert "Je bent aangemeld" not in page
        assert "Je bent aangemeld" in registered_client.get(path).get_data(as_text=True)


def test_items_follow_the_viewers_language_and_time_zone(viewer, make_group, make_event):
    dutch_client, dutch = viewer()
    english_client, english = viewer(language="en", timezone="America/New_York")
    group = make_group(members=[dutch, english], name="Netwerkgroep")
    group.name_en = "Network group"
    db.session.commit()
    event = make_event(group, capacity=10)
    event.starts_at = datetime(2031, 1, 15, 9, 0, tzinfo=UTC)
    event.ends_at = event.starts_at + timedelta(hours=2)
    db.session.commit()
    for _ in range(2):  # the second time from the cache
        dutch_page = dutch_client.get("/events").get_data(as_text=True)
        english_page = english_client.get("/events").get_data(as_text=True)
        assert "woensdag 15 januari 2031, 10:00–12:00" in dutch_page
        assert "Netwerkgroep" in dutch_page
        assert "0 van 10 plaatsen bezet" in dutch_page
        assert "15 January 2031, 04:00–06:00" in english_page
        assert "Network group" in english_page
        assert "0 of 10 places taken" in english_page


def test_the_event_page_query_count_does_not_grow(viewer, make_group, make_event, make_user):
    client, user = viewer()
    group = make_group(members=[user])
    event = make_event(group, capacity=50)
    path = f"/events/{event.id}"
    client.get(path)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    registrations.register_for_event(event, user)
    for _ in range(10):
        registrations.register_for_event(event, make_user())
    db.session.commit()
    with count_queries() as many:
        page = client.get(path).get_data(as_text=True)
    assert "Je bent aangemeld" in page
    assert "11 van 50 plaatsen bezet" in page
    assert many.count == few.count


def test_the_events_list_runs_two_statements(viewer, make_group, make_event):
    """The member, and the page of events with the total: the region and type filters
    come from the process's copy of the taxonomy."""
    client, user = viewer()
    group = make_group(members=[user])
    for n in range(3):
        make_event(group, title=f"Bijeenkomst {n}")
    client.get("/events")  # fills the taxonomy copy
    with count_queries() as counter:
        page = client.get("/events").get_data(as_text=True)
    assert counter.count == 2
    assert "Bijeenkomst 2" in page
    assert '<option value="fryslan"' in page
