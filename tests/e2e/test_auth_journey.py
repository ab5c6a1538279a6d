"""A new professional joins: register, confirm, approval, login, profile, 2FA, logout."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.models import OutboxMessage
from tests.conftest import TEST_PASSWORD, first_link
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def latest_email(to: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == to)
        .order_by(OutboxMessage.id.desc())
    ).first()


def log_in(page, email, password, totp_secret=None):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if totp_secret:
        page.get_by_label("Code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Doorgaan").click()


def test_registration_to_two_factor_journey(new_page, make_user, live_server):
    email, password = "noor@gemeente.example", "een heel lang wachtwoord"
    page = new_page()
    page.goto("/auth/register")
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Naam", exact=True).fill("Noor Bakker")
    page.get_by_label("Organisatie").fill("Gemeente Zwolle")
    page.get_by_label("Sector").select_option(index=3)
    page.get_by_label("Functie").select_option(index=2)
    page.get_by_label("Regio", exact=True).select_option(index=4)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_label("Herhaal het wachtwoord").fill(password)
    page.get_by_label("Ik werk met jongeren").check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Controleer je e-mail")).to_be_visible()
    assert_accessible(page)

    page.goto(first_link(latest_email(email).text_body, "/auth/confirm/"))
    assert_accessible(page)
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    expect(page.get_by_role("heading", name="Je e-mailadres is bevestigd")).to_be_visible()

    admin = make_user(role="admin", with_2fa=True, email="admin@gemeente.example")
    admin_page = new_page()
    log_in(admin_page, admin.email, TEST_PASSWORD, admin.totp_secret)
    admin_page.goto("/admin/members")
    assert_accessible(admin_page)
    admin_page.get_by_role("row", name="Noor Bakker").get_by_role(
        "button", name="Goedkeuren"
    ).click()
    expect(admin_page.get_by_role("status").filter(has_text="goedgekeurd")).to_be_visible()

    log_in(page, email, password)
    page.goto("/account/profile")
    assert_accessible(page)
    page.get_by_label("Over mij").fill("Beleidsmedewerker jeugd en veiligheid.")
    page.get_by_role("button", name="Opslaan").click()
    print(page.locator("main").inner_text()[:1500])
    expect(page.get_by_role("status").filter(has_text="opgeslagen")).to_be_visible()

    page.goto("/account/security")
    assert_accessible(page)
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inschakelen").click()
    expect(page.get_by_role("heading", name="Je herstelcodes")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("status").filter(has_text="uitgelogd")).to_be_visible()
    assert page.errors == []
