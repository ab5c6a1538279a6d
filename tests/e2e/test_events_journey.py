"""Events in a real browser: a coordinator schedules an event for two seats, three
members sign up (the third is waitlisted), one withdraws and the third is promoted and
emailed. Every page on the way passes axe."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from events.models import Event
from groups.models import Group, Membership
from tests.conftest import TEST_PASSWORD, sent_emails
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_waitlisted_member_is_promoted_when_someone_withdraws(new_page, make_user):
    coordinator = make_user("Carla Coördinator")
    members = [make_user(f"Deelnemer {n}") for n in (1, 2, 3)]
    group = Group(slug="regio-test", name="Regio Test", visibility="members")
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=coordinator.id, role="coordinator"))
    for member in members:
        db.session.add(Membership(group_id=group.id, user_id=member.id))
    db.session.commit()

    page = new_page()
    log_in(page, coordinator.email)
    page.goto("/groups/regio-test/events/new")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Casusoverleg polarisatie")
    page.get_by_label("Begin", exact=True).fill("2030-10-01T09:30")
    page.get_by_label("Einde", exact=True).fill("2030-10-01T12:00")
    page.get_by_label("Adres").fill("Stadhuisplein 1, Utrecht")
    page.get_by_label("Aantal plaatsen").fill("2")
    page.get_by_role("button", name="Bijeenkomst plannen").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Casusoverleg polarisatie"
    assert "0 van 2 plaatsen bezet" in page.content()
    assert_accessible(page)
    event_url = page.url

    pages = []
    for member in members:
        member_page = new_page()
        log_in(member_page, member.email)
        member_page.goto(event_url)
        member_page.get_by_role("button", name=re.compile("aanmelden", re.I)).click()
        member_page.wait_for_load_state()
        pages.append(member_page)
    assert "Je bent aangemeld" in pages[0].content()
    assert "Stadhuisplein 1" in pages[0].content()
    third = pages[2]
    assert "plaats 1 van de wachtlijst" in third.content()
    assert "Stadhuisplein 1" not in third.content()
    assert_accessible(third)

    pages[0].get_by_role("button", name="Afmelden").click()
    pages[0].wait_for_load_state()
    assert "Je bent afgemeld" in pages[0].content()

    db.session.expire_all()
    [promoted] = [m for m in sent_emails(to=members[2].email) if "plaats vrij" in m.subject]
    assert promoted.attachments[0]["filename"] == "uitnodiging.ics"
    third.reload()
    assert "Je bent aangemeld" in third.content()
    assert "Stadhuisplein 1" in third.content()
    assert "2 van 2 plaatsen bezet" in third.content()

    event = db.session.query(Event).one()
    page.goto(f"/events/{event.id}/attendees")
    assert "Deelnemer 3" in page.content()
    assert_accessible(page)
    third.goto("/events")
    assert "Casusoverleg polarisatie" in third.content()
    assert_accessible(third)
    assert all(p.errors == [] for p in (page, *pages))
