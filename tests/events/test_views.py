"""Pages, forms, calendars, CSV and the certificate through the test client."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest

from core.db import utcnow
from core.extensions import db
from events import registrations
from events.models import Event
from events.timeparse import to_local_input
from tests.conftest import count_queries, sent_emails


@pytest.fixture
def setup(app, make_user, make_group, make_event, login):
    coordinator = make_user("Coco Ordinator")
    group = make_group(coordinator=coordinator)
    event = make_event(group, capacity=20, title="Intervisie radicalisering")
    c_client = app.test_client()
    login(c_client, coordinator)
    return group, event, coordinator, c_client


def _form(**overrides):
    data = {
        "title": "Werkatelier polarisatie", "description": "Een **casus** bespreken.",
        "event_type": "0", "starts_at": "2030-10-01T09:30", "ends_at": "2030-10-01T12:00",
        "location": "Stadskantoor, Utrecht", "online_url": "", "capacity": "12",
        "registration_deadline": "2030-09-30T17:00", "accreditation_register": "SKJ",
        "accreditation_points": "3",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_coordinator_schedules_an_event_in_local_time(setup):
    group, _event, _coordinator, client = setup
    response = client.post(f"/groups/{group.slug}/events/new", data=_form())
    assert response.status_code == 302
    event = db.session.query(Event).filter_by(title="Werkatelier polarisatie").one()
    assert event.starts_at.isoformat() == "2030-10-01T07:30:00+00:00"
    assert "<strong>casus</strong>" in event.description_html


def test_spring_forward_time_is_refused_with_a_clear_message(setup):
    group, _event, _c, client = setup
    response = client.post(
        f"/groups/{group.slug}/events/new",
        data=_form(starts_at="2027-03-28T02:30", ends_at="2027-03-28T04:00",
                   registration_deadline=""),
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit tijdstip bestaat niet" in page
    assert 'value="2027-03-28T02:30"' in page


def test_autumn_time_asks_for_summer_or_winter_time_then_saves(setup):
    group, _event, _c, client = setup
    data = _form(title="Nachtelijke webinar", starts_at="2026-10-25T02:30",
                 ends_at="2026-10-25T04:00", registration_deadline="")  # fmt: skip
    page = client.post(f"/groups/{group.slug}/events/new", data=data).get_data(as_text=True)
    assert "Dit tijdstip bestaat twee keer" in page
    assert 'name="starts_at_dst"' in page
    response = client.post(
        f"/groups/{group.slug}/events/new", data={**data, "starts_at_dst": "winter"}
    )
    assert response.status_code == 302
    event = db.session.query(Event).filter_by(title="Nachtelijke webinar").one()
    assert event.starts_at.isoformat() == "2026-10-25T01:30:00+00:00"


def test_end_before_start_and_late_deadline_are_refused(setup):
    group, _e, _c, client = setup
    page = client.post(
        f"/groups/{group.slug}/events/new",
        data=_form(ends_at="2030-10-01T08:00"),
    ).get_data(as_text=True)
    assert "Het einde moet na het begin liggen." in page
    page = client.post(
        f"/groups/{group.slug}/events/new", data=_form(registration_deadline="2030-10-02T08:00")
    ).get_data(as_text=True)
    assert "De aanmelddeadline moet voor het begin liggen." in page


def test_a_bsn_in_the_description_blocks_saving(setup):
    group, _e, _c, client = setup
    page = client.post(
        f"/groups/{group.slug}/events/new",
        data=_form(description="Casus met bsn 111222333 van de jongere"),
    ).get_data(as_text=True)
    assert "herleidbaar" in page
    assert db.session.query(Event).filter_by(title="Werkatelier polarisatie").count() == 0


def test_members_cannot_schedule_events(setup, member_client):
    group, _e, _c, _client = setup
    client, _user = member_client
    assert client.get(f"/groups/{group.slug}/events/new").status_code == 403


def test_address_is_shown_only_to_confirmed_participants_and_coordinators(setup, member_client):
    _g, event, _c, c_client = setup
    client, _user = member_client
    assert "Stadhuisplein 1" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "meet.example.org" not in client.get(f"/events/{event.id}.ics").get_data(as_text=True)
    assert client.post(f"/events/{event.id}/register").status_code == 302
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Stadhuisplein 1" in page
    assert "1 van 20 plaatsen bezet" in page
    assert "Stadhuisplein 1" in c_client.get(f"/events/{event.id}").get_data(as_text=True)


def test_closed_group_events_are_hidden_from_outsiders(app, make_group, make_event, member_client):
    event = make_event(make_group(visibility="closed"), title="Besloten intervisie")
    client, user = member_client
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    assert "Besloten intervisie" not in client.get("/events").get_data(as_text=True)
    feed = client.get(f"/calendar/{user.calendar_token}.ics").get_data(as_text=True)
    assert "Besloten intervisie" not in feed


def test_registering_twice_is_answered_kindly(setup, member_client):
    _g, event, _c, _cc = setup
    client, _user = member_client
    client.post(f"/events/{event.id}/register")
    response = client.post(f"/events/{event.id}/register", follow_redirects=True)
    assert response.status_code == 200
    assert "al aangemeld" in response.get_data(as_text=True)


def test_event_ics_parses_back_field_by_field(setup, member_client):
    _g, event, _c, _cc = setup
    client, _user = member_client
    client.post(f"/events/{event.id}/register")
    response = client.get(f"/events/{event.id}.ics")
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    [vevent] = cal.walk("VEVENT")
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"
    assert str(vevent["UID"]) == f"event-{event.id}@localhost"
    assert vevent["DTSTAMP"].dt.tzinfo is not None
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["SUMMARY"]) == "Intervisie radicalisering"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert vevent["DTSTART"].dt == event.starts_at
    assert vevent["DTEND"].dt == event.ends_at
    assert str(vevent["LOCATION"]) == "Stadhuisplein 1, Utrecht"
    assert str(vevent["STATUS"]) == "CONFIRMED"


def test_group_feed_keeps_cancelled_events_with_status_cancelled(setup):
    group, event, _coordinator, client = setup
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "Te weinig aanmeldingen"})
    assert response.status_code == 302
    cal = icalendar.Calendar.from_ical(client.get(f"/groups/{group.slug}/events.ics").data)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1
    assert "Te weinig aanmeldingen" in str(vevent["DESCRIPTION"])


def test_cancelling_without_a_reason_shows_the_form_with_a_clear_error(setup):
    _group, event, _coordinator, client = setup
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Schrijf waarom de bijeenkomst niet doorgaat." in page
    assert 'aria-invalid="true"' in page
    assert db.session.get(Event, event.id).status == "scheduled"


def test_a_long_reason_is_kept_when_the_form_is_refused(setup):
    _group, event, _coordinator, client = setup
    reason = "Zaal afgezegd. " * 80
    response = client.post(f"/events/{event.id}/cancel", data={"reason": reason})
    assert response.status_code == 422
    assert "Zaal afgezegd. Zaal afgezegd." in response.get_data(as_text=True)


def test_the_cancel_page_asks_for_a_reason(setup):
    _group, event, _coordinator, client = setup
    page = client.get(f"/events/{event.id}/cancel").get_data(as_text=True)
    assert 'name="reason"' in page
    assert "Reden van de annulering" in page


def test_the_event_page_and_email_show_why_it_was_cancelled(setup, member_client):
    _group, event, _coordinator, c_client = setup
    client, user = member_client
    client.post(f"/events/{event.id}/register")
    c_client.post(f"/events/{event.id}/cancel", data={"reason": "De spreker is ziek."})
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Deze bijeenkomst gaat niet door." in page
    assert "De spreker is ziek." in page
    [mail] = [m for m in sent_emails(to=user.email) if "Geannuleerd" in m.subject]
    assert "De spreker is ziek." in mail.text_body
    assert "De spreker is ziek." in mail.html_body


def test_members_cannot_cancel_an_event(setup, member_client):
    _group, event, _coordinator, _c_client = setup
    client, _user = member_client
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "Omdat het kan"})
    assert response.status_code == 403
    assert db.session.get(Event, event.id).status == "scheduled"


def test_personal_feed_needs_no_login_and_its_token_can_be_regenerated(setup, member_client, app):
    _g, event, _c, _cc = setup
    client, user = member_client
    client.post(f"/events/{event.id}/register")
    old = user.calendar_token
    anonymous = app.test_client()
    cal = icalendar.Calendar.from_ical(anonymous.get(f"/calendar/{old}.ics").data)
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Intervisie radicalisering"]
    assert client.post("/account/calendar/regenerate").status_code == 302
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404


def test_attendees_csv_has_a_bom_and_neutralises_formulas(setup, make_user, login, app):
    _g, event, _c, c_client = setup
    sneaky = make_user('=HYPERLINK("http://evil")')
    sneaky.organisation = "@SUM(1)"
    db.session.commit()
    client = app.test_client()
    login(client, sneaky)
    client.post(f"/events/{event.id}/register")
    response = c_client.get(f"/events/{event.id}/attendees.csv")
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'@SUM(1)" in text
    assert client.get(f"/events/{event.id}/attendees.csv").status_code == 403


def test_attended_participant_downloads_a_certificate(setup, member_client):
    _g, event, _c, c_client = setup
    client, user = member_client
    client.post(f"/events/{event.id}/register")
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 403
    event = db.session.get(Event, event.id)
    event.starts_at = utcnow() - timedelta(hours=3)
    event.ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    response = c_client.post(f"/events/{event.id}/attendance", data={"attended": [str(user.id)]})
    assert response.status_code == 302
    response = client.get(f"/events/{event.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_approval_flow_on_the_attendees_page(app, make_user, make_group, make_event, login):
    coordinator, member = make_user(), make_user()
    event = make_event(make_group(coordinator=coordinator), capacity=5, requires_approval=True)
    m_client, c_client = app.test_client(), app.test_client()
    login(m_client, member)
    login(c_client, coordinator)
    m_client.post(f"/events/{event.id}/register")
    registration = registrations.active_registration(event.id, member.id)
    assert registration.status == "pending"
    page = c_client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Goedkeuren" in page
    assert re.search(r'class="button button-small button-danger"[^>]*>Afwijzen<', page)
    c_client.post(f"/events/{event.id}/attendees/{registration.id}/approve")
    db.session.expire_all()
    assert registrations.active_registration(event.id, member.id).status == "confirmed"


def test_event_list_query_count_does_not_grow_with_rows(app, make_group, make_event, member_client):
    client, user = member_client
    group = make_group(members=[user])
    make_event(group)
    client.get("/events")
    with count_queries() as few:
        assert client.get("/events").status_code == 200
    for _ in range(15):
        event = make_event(group)
        registrations.register_for_event(event, user)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/events").get_data(as_text=True)
    assert page.count("Je bent aangemeld") >= 15
    assert many.count == few.count


def test_past_events_are_on_their_own_tab(app, make_group, make_event, member_client):
    client, _user = member_client
    group = make_group()
    make_event(group, title="Oude bijeenkomst", starts_in=timedelta(days=-3))
    make_event(group, title="Nieuwe bijeenkomst")
    upcoming = client.get("/events").get_data(as_text=True)
    past = client.get("/events?when=past").get_data(as_text=True)
    assert "Nieuwe bijeenkomst" in upcoming
    assert "Oude bijeenkomst" not in upcoming
    assert "Oude bijeenkomst" in past
    assert "Nieuwe bijeenkomst" not in past


def test_editing_prefills_local_times_and_moving_emails_registered_members(setup, member_client):
    _g, event, _c, c_client = setup
    client, user = member_client
    client.post(f"/events/{event.id}/register")
    page = c_client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    local = to_local_input(event.starts_at, "Europe/Amsterdam")
    assert f'value="{local}"' in page
    response = c_client.post(
        f"/events/{event.id}/edit",
        data=_form(title=event.title, starts_at="2030-06-01T10:00", ends_at="2030-06-01T12:00",
                   registration_deadline="", capacity="20"),
    )  # fmt: skip
    assert response.status_code == 302
    [mail] = [m for m in sent_emails(to=user.email) if m.subject.startswith("Gewijzigd")]
    assert "zaterdag 1 juni 2030, 10:00" in mail.text_body
    cal = icalendar.Calendar.from_ical(mail.attachments[0]["content"])
    assert str(cal["METHOD"]) == "REQUEST"
    assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_a_privacy_warning_can_be_overridden_by_confirming(setup):
    group, _e, _c, client = setup
    data = _form(description="Bel de school op 06-12345678 voor de casus.")
    page = client.post(f"/groups/{group.slug}/events/new", data=data).get_data(as_text=True)
    assert 'name="privacy_confirmed"' in page
    response = client.post(
        f"/groups/{group.slug}/events/new", data={**data, "privacy_confirmed": "y"}
    )
    assert response.status_code == 302


def test_events_list_filters_by_type_and_shows_seats(app, make_group, make_event, member_client):
    from core.taxonomy import EventType
    from tests.conftest import term

    client, _user = member_client
    group = make_group()
    webinar = term(EventType, "webinar")
    make_event(group, title="Online webinar", event_type_id=webinar.id, capacity=20)
    make_event(group, title="Fysieke training")
    page = client.get("/events?type=webinar").get_data(as_text=True)
    assert "Online webinar" in page
    assert "Fysieke training" not in page
    assert "0 van 20 plaatsen bezet" in page


def test_attendees_page_and_feed_query_counts_do_not_grow(setup, make_user):
    _g, event, coordinator, c_client = setup

    def measure():
        with count_queries() as attendees_page:
            assert c_client.get(f"/events/{event.id}/attendees").status_code == 200
        with count_queries() as feed:
            assert c_client.get(f"/calendar/{coordinator.calendar_token}.ics").status_code == 200
        return attendees_page.count, feed.count

    registrations.register_for_event(event, make_user())
    db.session.commit()
    before = measure()
    for _ in range(8):
        registrations.register_for_event(event, make_user())
    db.session.commit()
    assert measure() == before
