"""Insight in a real browser: a member marks a thread as a signal with the keyboard, a
policy officer opens the national overview and the region page, changes the period
without a mouse and prints it. Every page passes axe; screenshots go to the test's
temporary directory (and are looked at by a person when the page changes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db
from insight.rollups import refresh_rollups
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible
from tests.insight.conftest import insight_event, insight_group, insight_reply, insight_thread

pytestmark = pytest.mark.browser

SECTORS = ("onderwijs", "politie", "wijkteam", "jongerenwerk")


def log_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def _community(make_user):
    people = [make_user(f"Lid {n}", sector=SECTORS[n % 4], region="utrecht") for n in range(24)]
    group = insight_group("Regio Utrecht", kind="regional", region="utrecht")
    today = utcnow()
    threads = []
    for n in range(16):
        day = (today - timedelta(days=2 + 4 * n)).date().isoformat()
        thread = insight_thread(
            group,
            people[n % 24],
            day,
            kind="question" if n % 2 else "discussion",
            tags=("polarisatie",) if n % 3 else ("complotdenken", "polarisatie"),
        )
        insight_reply(thread, people[(n + 1) % 24], hours=5 + n, accept=bool(n % 2))
        threads.append(thread)
    insight_event(
        group, (today - timedelta(days=10)).date().isoformat(), [(p, True) for p in people[:12]]
    )
    db.session.commit()
    return people, threads


def test_a_signal_and_the_region_page_by_keyboard(new_page, make_user, tmp_path):
    people, threads = _community(make_user)
    officer = make_user("Marieke Beleid", role="policy", region="haaglanden")

    member = new_page()
    log_in(member, people[5].email)
    member.goto(f"/threads/{threads[0].id}")
    assert_accessible(member)
    note = member.get_by_label("Dit is een signaal uit mijn regio: toelichting in één zin")
    note.focus()
    member.keyboard.type("Zien we ook op scholen in de regio.")
    member.keyboard.press("Tab")
    assert member.evaluate("document.activeElement.textContent.trim()") == "Markeer als signaal"
    with member.expect_navigation():
        member.keyboard.press("Enter")
    assert "Bedankt: je signaal telt mee voor je regio." in member.content()
    assert_accessible(member)

    refresh_rollups()
    db.session.commit()

    page = new_page()
    log_in(page, officer.email)
    page.goto("/inzicht")
    assert page.locator("h1").inner_text() == "Inzicht per regio"
    assert_accessible(page)
    page.get_by_role("link", name="Utrecht", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Inzicht: Utrecht"
    assert_accessible(page)

    page.get_by_label("Periode", exact=True).focus()
    page.keyboard.press("ArrowDown")  # 6 months
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "periode=6m" in page.url
    html = page.content()
    assert "&lt; 5" in html
    assert page.locator("svg[role=img] title").count() >= 3
    assert "Zien we ook op scholen" not in html  # counts only, never the sentence
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "insight-region.png"), full_page=True)
    member.screenshot(path=str(tmp_path / "insight-thread-signalled.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".period-form").is_visible()
    page.screenshot(path=str(tmp_path / "insight-region-print.png"), full_page=True)
    assert all(p.errors == [] for p in (member, page))
