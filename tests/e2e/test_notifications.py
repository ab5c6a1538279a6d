"""Notifications in a real browser: a member sees the unread badge, reads the list,
changes digest preferences, and unsubscribes from a link without logging in.
Every page passes axe."""

from __future__ import annotations

import pytest

from core.extensions import db
from notifications.models import Notification
from notifications.unsubscribe import make_token
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def test_member_reads_notifications_sets_preferences_and_unsubscribes(new_page, make_user):
    member = make_user("Noor Melding", digest_opt_in=True)
    db.session.add(Notification(user_id=member.id, kind="reply", title="Iemand reageerde",
                                url="/notifications"))  # fmt: skip
    db.session.commit()
    page = new_page()
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.locator(".badge-count").first.inner_text().startswith("1")

    page.goto("/notifications")
    assert "Iemand reageerde" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_load_state()
    assert page.locator(".badge-count").count() == 0

    page.goto("/account/notifications")
    assert_accessible(page)
    page.get_by_label("Elke dag").check()
    page.get_by_label("Tijdstip").select_option("7")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_label("Elke dag").is_checked()

    visitor = new_page()
    visitor.goto(f"/unsubscribe/{make_token(member.id, 'digest')}")
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Ja, meld mij af").click()
    visitor.wait_for_load_state()
    assert "Je bent afgemeld" in visitor.content()
