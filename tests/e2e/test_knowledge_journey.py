"""The kennisbank in a real browser: an editor writes an intervention, a second editor
publishes it, a visitor finds it with the facets, and a question thread becomes a FAQ
with the consent of the members quoted in it. Keyboard where it matters, axe on every
page, screenshots in the test's tmp directory."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from forum.services import accept_answer
from knowledge.models import KnowledgeConsent, KnowledgeItem
from tests.conftest import TEST_PASSWORD, first_link, sent_emails
from tests.factories import join, make_group, post_reply, post_thread
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


def enter(page, locator) -> None:
    """Focus an element and press Enter (as a keyboard user does), then wait for the page."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    enter(page, page.get_by_label("Wachtwoord", exact=True))


def check(page, shots, name: str) -> None:
    assert_accessible(page)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_editor_writes_second_editor_publishes_visitor_filters(new_page, make_user, tmp_path):
    anna = make_user("Anna Redactie", role="editor")
    bram = make_user("Bram Redactie", role="editor")

    # Anna writes an intervention, mostly with the keyboard.
    a = new_page()
    log_in(a, anna.email)
    a.goto("/kennisbank")
    enter(a, a.get_by_role("link", name="Nieuw item schrijven"))
    check(a, tmp_path, "1-form")
    a.get_by_label("Titel").fill("Dialoogtafels op school")
    a.get_by_label("Interventie", exact=True).focus()
    a.keyboard.press("Space")
    a.get_by_label("Samenvatting").fill("Leerlingen praten in kleine groepen over spanningen.")
    a.get_by_label("Tekst", exact=True).fill("## Zo werkt het\n\nVier bijeenkomsten in de klas.")
    a.get_by_label("Goed onderbouwd").check()
    a.get_by_label("Doel", exact=True).fill("Leren omgaan met verschillen van mening.")
    a.get_by_label("Polarisatie", exact=True).check()
    a.get_by_label("Onderwijs (po, vo, mbo)").check()
    enter(a, a.get_by_role("button", name="Opslaan"))
    expect(a.get_by_role("heading", name="Dialoogtafels op school")).to_be_visible()
    check(a, tmp_path, "2-draft")
    a.get_by_role("button", name="Ter controle aanbieden").click()
    expect(a.get_by_text("klaar voor controle")).to_be_visible()
    # Four eyes: Anna has no publish button on her own change.
    assert a.get_by_role("button", name="Publiceren").count() == 0

    # Bram reviews it from the editors' page and publishes.
    b = new_page()
    log_in(b, bram.email)
    b.goto("/kennisbank/redactie")
    check(b, tmp_path, "3-queue")
    b.get_by_role("link", name="Dialoogtafels op school").click()
    b.get_by_role("button", name="Publiceren").click()
    expect(b.get_by_text("Het item is gepubliceerd.")).to_be_visible()
    b.get_by_role("link", name="Versies en wijzigingen").click()
    check(b, tmp_path, "4-history")

    # A visitor finds it by combining facets and reads it.
    v = new_page()
    v.goto("/kennisbank")
    check(v, tmp_path, "5-list")
    v.get_by_role("complementary").get_by_role("link", name="Interventie").click()
    expect(v).to_have_url(re.compile("kind=interventie"))
    v.get_by_role("complementary").get_by_role("link", name="Goed onderbouwd").click()
    expect(v).to_have_url(re.compile("level=goed-onderbouwd"))
    assert "kind=interventie" in v.url
    expect(v.get_by_role("heading", name="1 item")).to_be_visible()
    v.get_by_label("Zoek in de kennisbank").fill("bijeenkomsten")
    enter(v, v.get_by_label("Zoek in de kennisbank"))
    v.get_by_role("link", name="Dialoogtafels op school").click()
    expect(v.get_by_text("Leren omgaan met verschillen van mening.")).to_be_visible()
    check(v, tmp_path, "6-item")
    for page in (a, b, v):
        assert page.errors == []


def test_a_faq_from_a_thread_with_the_consent_of_the_quoted_members(new_page, make_user, tmp_path):
    asker = make_user("Anna Docent", sector="onderwijs")
    answerer = make_user("Bram Wijkagent", sector="politie")
    coordinator = make_user("Carla Coördinator")
    editor, reviewer = make_user("Eva Redactie", role="editor"), make_user(role="editor")
    group = make_group("Regio Twente")
    for member in (asker, answerer):
        join(group, member)
    join(group, coordinator, role="coordinator")
    thread = post_thread(group, asker, kind="question",
                           title="Hoe praat ik met een leerling over complotfilmpjes?",
                           body="Een leerling deelt steeds filmpjes over complotten.")  # fmt: skip
    answer = post_reply(thread, answerer, body="Vraag eerst wat hem aanspreekt.")
    accept_answer(thread, answer, asker)
    db.session.commit()

    # The coordinator makes a FAQ draft from the thread.
    c = new_page()
    log_in(c, coordinator.email)
    c.goto(f"/threads/{thread.id}")
    enter(c, c.get_by_role("button", name="Maak een FAQ-concept"))
    expect(c.get_by_text("Er is een FAQ-concept gemaakt")).to_be_visible()
    check(c, tmp_path, "faq-1-thread")
    item = db.session.scalar(select(KnowledgeItem))

    # The asker says yes in the app.
    q = new_page()
    log_in(q, asker.email)
    q.goto("/kennisbank/toestemming")
    q.get_by_role("link", name=thread.title).click()
    check(q, tmp_path, "faq-2-consent")
    q.get_by_role("button", name="Ja, dat mag").click()
    expect(q.get_by_text("Je hebt toestemming gegeven").first).to_be_visible()

    # Publishing still waits for the answerer.
    e = new_page()
    log_in(e, editor.email)
    e.goto(f"/kennisbank/{item.slug}")
    e.get_by_role("button", name="Ter controle aanbieden").click()
    r = new_page()
    log_in(r, reviewer.email)
    r.goto(f"/kennisbank/{item.slug}")
    r.get_by_role("button", name="Publiceren").click()
    expect(r.get_by_text("niet iedereen die geciteerd wordt")).to_be_visible()
    check(r, tmp_path, "faq-3-waiting")

    # The answerer says yes from the email, without logging in.
    email = sent_emails(to=answerer.email, kind="knowledge_consent")[0]
    x = new_page()
    x.goto(first_link(email.text_body, "/kennisbank/toestemming/t/"))
    expect(x.get_by_text("Vraag eerst wat hem aanspreekt.")).to_be_visible()
    check(x, tmp_path, "faq-4-email-page")
    x.get_by_role("button", name="Ja, dat mag").click()
    statuses = set(db.session.scalars(select(KnowledgeConsent.status)))
    assert statuses == {"granted"}

    r.goto(f"/kennisbank/{item.slug}")
    r.get_by_role("button", name="Publiceren").click()
    expect(r.get_by_text("Het item is gepubliceerd.")).to_be_visible()
    # Members read the FAQ (members-only by default); the names are not in it.
    q.goto(f"/kennisbank/{item.slug}")
    expect(q.get_by_text("Een leerling deelt steeds filmpjes")).to_be_visible()
    assert "Bram Wijkagent" not in q.locator("article").inner_text()
    check(q, tmp_path, "faq-5-published")
    for page in (c, q, e, r, x):
        assert page.errors == []
