"""The landing page in a real browser: no console errors, no axe violations."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/over", "/privacy", "/toegankelijkheid", "/auth/login",
                                  "/auth/register"])  # fmt: skip
def test_public_page_has_no_console_errors_and_no_axe_violations(page, path):
    page.goto(path)
    assert page.locator("main h1").count() == 1
    assert_accessible(page)
    assert page.errors == []


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switch_in_footer_works_with_keyboard(page):
    page.goto("/over")
    page.get_by_role("button", name="English").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
