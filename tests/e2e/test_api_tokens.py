"""API keys in a real browser, by keyboard: from the security page to a new token, which
then opens the API; revoking it closes the API again. Every page passes axe."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def api_status(base_url: str, secret: str) -> int:
    url = f"{base_url}/api/v1/me"  # The live server on loopback, http only.
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status if json.load(response)["token"] else 0
    except urllib.error.HTTPError as error:
        return error.code


def test_member_creates_uses_and_revokes_an_api_key_with_the_keyboard(
    new_page, make_user, live_server, tmp_path
):
    member = make_user("Sam Sleutel")
    page = new_page()
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(member.email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)

    page.goto("/account/security")
    link = page.get_by_role("link", name="Beheer je API-sleutels")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/security/tokens")
    assert_accessible(page)

    page.get_by_label("Naam").focus()
    page.keyboard.type("Agenda intranet")
    page.keyboard.press("Tab")  # To the scope choice.
    page.get_by_label("Lezen en je aan- of afmelden voor bijeenkomsten").check()
    page.get_by_role("button", name="Sleutel maken").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Je nieuwe sleutel").wait_for()
    secret = page.get_by_label("Sleutel", exact=True).input_value()
    assert secret.startswith("jep_")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "api-tokens.png"), full_page=True)
    assert api_status(live_server.url, secret) == 200

    page.get_by_role("button", name="Intrekken").focus()
    page.keyboard.press("Enter")
    page.get_by_text("werkt niet meer").wait_for()
    assert api_status(live_server.url, secret) == 401

    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="GET /api/v1/events", exact=True)).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "api-reference.png"))
