"""Look and feel in a real browser: quiet reactions, a distinct danger style, the
required marker on its label's line, cancelling with a reason and a printable,
verifiable certificate of attendance. Walked with the keyboard; every page passes axe."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.db import utcnow
from core.extensions import db
from events import registrations as event_registrations
from events import services as event_services
from forum import services as forum_services
from groups.models import Group, Membership
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: E2E_SCREENSHOT_DIR to keep them, else the test's tmp dir."""
    directory = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def log_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def group_with(coordinator, *members) -> Group:
    group = Group(slug="regio-look", name="Regio Look", visibility="members")
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=coordinator.id, role="coordinator"))
    for member in members:
        db.session.add(Membership(group_id=group.id, user_id=member.id))
    db.session.commit()
    return group


def schedule(group, **fields):
    start = utcnow().replace(microsecond=0) + fields.pop("starts_in", timedelta(days=7))
    data = event_services.EventData(
        title=fields.pop("title", "Training signaleren"), starts_at=start,
        ends_at=start + fields.pop("duration", timedelta(hours=3)),
        location="Stadhuisplein 1, Utrecht", capacity=10, **fields,
    )  # fmt: skip
    event = event_services.create_event(group, data, actor=None)
    db.session.commit()
    return event


def style(locator, prop: str) -> str:
    return locator.evaluate(f"el => getComputedStyle(el).getPropertyValue('{prop}')")


def enter_and_wait(page) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def focus_by_tab(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus: reachable by keyboard, in page order."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("element not reachable with Tab")


def test_reactions_are_quiet_until_used_and_work_with_the_keyboard(new_page, make_user, shots):
    author, reader = make_user("Anna de Vries"), make_user("Bram Jansen")
    group = group_with(author, reader)
    thread = forum_services.create_thread(group, author, title="Hoe praat ik met ouders?",
                                          body="Wie heeft ervaring?")  # fmt: skip
    db.session.commit()

    page = new_page()
    log_in(page, reader.email)
    page.goto(f"/threads/{thread.id}")
    useful = page.get_by_role("button", name="Nuttig")
    assert useful.inner_text().strip() == "Nuttig"
    assert useful.get_attribute("aria-pressed") == "false"
    assert style(useful, "background-color") == "rgba(0, 0, 0, 0)"
    primary = page.get_by_role("button", name="Plaats reactie")
    for prop in ("background-color", "color", "font-weight"):
        assert style(useful, prop) != style(primary, prop), prop
    assert_accessible(page)
    page.screenshot(path=str(shots / "reactions-quiet.png"), full_page=True)

    focus_by_tab(page, useful)
    enter_and_wait(page)
    useful = page.get_by_role("button", name="Nuttig")
    assert useful.get_attribute("aria-pressed") == "true"
    assert useful.locator(".reaction-count").inner_text() == "1"
    assert style(useful, "background-color") != "rgba(0, 0, 0, 0)"
    assert_accessible(page)
    page.screenshot(path=str(shots / "reactions-used.png"), full_page=True)


def test_the_required_marker_stays_on_the_line_of_its_label(new_page, make_user, shots):
    member = make_user()
    group_with(member)
    page = new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, member.email)
    page.goto("/groups/regio-look/threads/new")
    for name in ("title", "body"):
        label = page.locator(f"label[for='{name}']").bounding_box()
        marker = page.locator(f".field:has(#{name}) .required").bounding_box()
        assert abs(marker["y"] - label["y"]) < label["height"] / 2, name
        assert marker["x"] > label["x"]
    assert_accessible(page)
    page.screenshot(path=str(shots / "required-marker.png"), full_page=True)


def test_coordinator_cancels_with_a_reason_in_a_distinct_danger_style(new_page, make_user, shots):
    coordinator, member = make_user("Carla Coördinator"), make_user("Dirk Deelnemer")
    group = group_with(coordinator, member)
    event = schedule(group)
    event_registrations.register_for_event(event, member)
    db.session.commit()

    page = new_page()
    log_in(page, coordinator.email)
    page.goto(f"/events/{event.id}")
    cancel = page.get_by_role("link", name="Bijeenkomst annuleren")
    primary = page.get_by_role("button", name="Aanmelden", exact=True)
    for prop in ("background-color", "color", "border-color"):
        assert style(cancel, prop) != style(primary, prop), prop
    assert style(cancel, "color") == "rgb(139, 26, 26)"
    assert_accessible(page)
    page.screenshot(path=str(shots / "event-danger-button.png"), full_page=True)

    focus_by_tab(page, cancel)
    enter_and_wait(page)
    assert_accessible(page)
    submit = page.get_by_role("button", name="Bijeenkomst annuleren")
    assert style(submit, "color") == "rgb(139, 26, 26)"
    focus_by_tab(page, submit)
    enter_and_wait(page)
    expect(page.get_by_role("alert").filter(has_text="Schrijf waarom")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(shots / "cancel-reason-missing.png"), full_page=True)

    reason = page.get_by_label("Reden van de annulering")
    reason.focus()
    page.keyboard.type("De trainer is ziek. We plannen een nieuwe datum.")
    focus_by_tab(page, page.get_by_role("button", name="Bijeenkomst annuleren"))
    enter_and_wait(page)
    assert "De trainer is ziek." in page.locator("#cancellation").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(shots / "event-cancelled.png"), full_page=True)

    other = new_page()
    log_in(other, member.email)
    other.goto(f"/events/{event.id}")
    assert "De trainer is ziek." in other.locator("#cancellation").inner_text()


def test_certificate_is_printable_and_anyone_can_verify_it(new_page, make_user, shots):
    coordinator, member = make_user("Carla Coördinator"), make_user("Sanne Bakker")
    member.organisation = "Jeugdzorg Utrecht"
    group = group_with(coordinator, member)
    event = schedule(group, accreditation_register="SKJ", accreditation_points=3)
    event_registrations.register_for_event(event, member)
    event.starts_at = utcnow() - timedelta(days=1)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event_registrations.mark_attendance(event, {member.id})
    db.session.commit()

    page = new_page()
    log_in(page, member.email)
    page.goto(f"/events/{event.id}")
    link = page.get_by_role("link", name="Bewijs van deelname")
    focus_by_tab(page, link)
    enter_and_wait(page)
    certificate = page.locator("article.certificate")
    text = certificate.inner_text()
    for fact in ("Platform JEP", "Sanne Bakker", "Jeugdzorg Utrecht", "Training signaleren",
                 "3 uur", "SKJ", "Verificatiecode"):  # fmt: skip
        assert fact in text, fact
    assert_accessible(page)
    page.screenshot(path=str(shots / "certificate.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.get_by_role("link", name="Download als PDF").is_visible()
    expect(certificate).to_be_visible()
    page.screenshot(path=str(shots / "certificate-print.png"), full_page=True)
    page.emulate_media(media="screen")

    verify_url = certificate.locator(".certificate-verification a").get_attribute("href")
    visitor = new_page()
    visitor.goto(verify_url)
    expect(visitor.get_by_role("status").filter(has_text="is echt")).to_be_visible()
    checked = visitor.locator(".certificate-facts").inner_text()
    assert "Sanne Bakker" in checked
    assert "Jeugdzorg Utrecht" not in checked
    assert_accessible(visitor)
    visitor.screenshot(path=str(shots / "certificate-verified.png"), full_page=True)
    assert visitor.goto(verify_url + "x").status == 404
