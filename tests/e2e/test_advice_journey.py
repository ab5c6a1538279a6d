"""The advice desk in a real browser, by keyboard: a member asks (acute guidance shown),
an adviser takes and answers the question with an internal note, the member replies,
closes with consent and rates it. Every page is checked with axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from advice.models import AdviceQuestion
from core.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser
#: Where screenshots go: E2E_SCREENSHOTS when set (to look at them), else the test's tmp_path.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")


def log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Wachtwoord", exact=True).press("Enter")


def shooter(tmp_path: Path):
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shot


def test_asking_answering_and_closing_an_advice_question(new_page, make_user, tmp_path):
    shot = shooter(tmp_path)
    member = make_user("Sanne Bakker", sector="onderwijs", region="utrecht")
    adviser = make_user("Karin de Boer", role="adviser")

    # The member asks, by keyboard, and chooses "acuut".
    m = new_page()
    log_in(m, member.email)
    m.goto("/advies")
    assert_accessible(m)
    m.get_by_role("link", name="Stel een vraag").focus()
    with m.expect_navigation():
        m.keyboard.press("Enter")
    assert_accessible(m)
    m.get_by_label("Onderwerp").fill("Leerling dreigt met geweld op school")
    m.get_by_label("De situatie en je vraag").fill(
        "**Situatie**\nEen leerling zei vanochtend dat hij 'morgen iets gaat doen'.\n\n"
        "**Mijn vraag**\nWat moet ik nu doen?"
    )
    m.get_by_label("Acuut: er is nu gevaar").check()
    m.get_by_role("button", name="Verstuur je vraag").focus()
    with m.expect_navigation():
        m.keyboard.press("Enter")
    guidance = m.locator("#acute-guidance")
    assert "112" in guidance.inner_text()
    assert "Veilig Thuis" in guidance.inner_text()
    assert_accessible(m)
    shot(m, "1-asked-acute")
    question = db.session.scalar(select(AdviceQuestion))

    # The adviser sees it at the top of the queue, takes it, notes and answers.
    a = new_page()
    log_in(a, adviser.email)
    a.goto("/advies/queue")
    assert_accessible(a)
    shot(a, "2-queue")
    a.get_by_role("button", name="Pak op").first.focus()
    with a.expect_navigation():
        a.keyboard.press("Enter")
    a.get_by_label("Je bericht").fill("Eerst met de teamleider afstemmen.")
    a.get_by_label("Interne notitie (alleen voor adviseurs)").check()
    a.get_by_role("button", name="Verstuur bericht").click()
    a.get_by_label("Je bericht").fill(
        "Bel bij direct gevaar 112. Meld het daarnaast vandaag bij je schoolleiding."
    )
    with a.expect_navigation():
        a.get_by_role("button", name="Verstuur bericht").click()
    assert "Interne notitie" in a.content()
    assert_accessible(a)
    shot(a, "3-adviser-answered")

    # The member reads the answer (not the note), replies, closes with consent and rates.
    m.goto(f"/advies/{question.id}")
    assert "Meld het daarnaast vandaag" in m.content()
    assert "teamleider afstemmen" not in m.content()
    m.get_by_label("Je bericht").fill("Dank je, ik heb de schoolleiding gebeld.")
    m.get_by_role("button", name="Verstuur bericht").click()
    m.get_by_label(
        "Mijn vraag mag, zonder herkenbare gegevens, een veelgestelde vraag worden"
    ).check()
    m.get_by_role("button", name="Sluit de vraag af").focus()
    with m.expect_navigation():
        m.keyboard.press("Enter")
    m.get_by_role("button", name="Ja, dit hielp").click()
    expect(m.get_by_text("Je gaf aan: dit hielp.")).to_be_visible()
    assert_accessible(m)
    shot(m, "4-closed-rated")

    db.session.expire_all()
    question = db.session.get(AdviceQuestion, question.id)
    assert (question.status, question.rating, question.faq_consent) == ("closed", "helped", True)
    assert question.first_answered_at is not None
    for page in (m, a):
        assert page.errors == []


def test_a_sparring_partner_joins_the_pool_accepts_and_shares_the_conversation(
    new_page, make_user, tmp_path
):
    shot = shooter(tmp_path)
    partner = make_user("Anouk Smit", sector="politie", region="utrecht")
    asker = make_user("Rachid Bouzian", sector="onderwijs", region="utrecht")
    partner.organisation = "Zorg- en Veiligheidshuis"
    db.session.commit()
    adviser = make_user("Karin de Boer", role="adviser")

    p = new_page()
    log_in(p, partner.email)
    p.goto("/advies/sparringpool")
    assert_accessible(p)
    p.get_by_label("Complotdenken").check()
    p.get_by_label("Onderwijs (po, vo, mbo)").check()
    p.get_by_label("Elke week").check()
    p.get_by_role("button", name="Meld je aan").click()
    expect(p.get_by_role("button", name="Afmelden voor de sparringpool")).to_be_visible()
    shot(p, "5-pool")

    a = new_page()
    log_in(a, asker.email)
    a.goto("/advies/new")
    a.get_by_label("Onderwerp").fill("Speler deelt complotfilmpjes in de groepsapp")
    a.get_by_label("De situatie en je vraag").fill("Wie denkt mee over een eerste gesprek?")
    a.get_by_label("Een sparringpartner: een ervaren collega uit de pool").check()
    a.get_by_label("Thema").select_option(label="Complotdenken")
    a.get_by_role("button", name="Verstuur je vraag").click()
    question = db.session.scalar(select(AdviceQuestion))

    p.goto("/advies")
    proposals = p.get_by_role("region", name="Voorstellen voor jou als sparringpartner")
    assert "Speler deelt complotfilmpjes" in proposals.inner_text()
    assert_accessible(p)
    shot(p, "6-proposal")
    proposals.get_by_role("button", name="Ik denk mee").click()
    p.get_by_label("Je bericht").fill("Vraag hem eerst wat hem aanspreekt in die filmpjes.")
    p.get_by_role("button", name="Verstuur bericht").click()

    a.goto(f"/advies/{question.id}")
    assert "wat hem aanspreekt" in a.content()
    assert "Anouk Smit" in a.content()
    assert_accessible(a)

    c = new_page()
    log_in(c, adviser.email)
    c.goto("/advies/cijfers")
    assert "Totaal" in c.content()
    assert_accessible(c)
    shot(c, "7-numbers")
    for page in (p, a, c):
        assert page.errors == []
