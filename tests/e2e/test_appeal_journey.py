"""An appeal in a real browser, by keyboard: the member opens the link from the statement
of reasons (no login needed), appeals; the moderator who decided may not decide; another
moderator reverses it from the queue; the member sees the outcome. Every page axe-clean."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown
from forum.models import Post, Thread
from groups.models import Group, Membership
from moderation import services
from moderation.models import Appeal
from tests.conftest import TEST_PASSWORD, first_link, sent_emails
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, email, totp_secret=None):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    if totp_secret:
        page.get_by_label("Code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_label("Code").press("Enter")
    page.wait_for_load_state()


def hidden_post(author, moderator):
    group = Group(slug="netwerk-noord", name="Netwerk Noord", visibility="members")
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=author.id))
    now = utcnow()
    thread = Thread(group_id=group.id, author_id=author.id, title="Een voorbeeld uit de klas",
                    created_at=now, last_activity_at=now)  # fmt: skip
    db.session.add(thread)
    db.session.flush()
    body = "Een leerling (verzonnen naam: Kim) zei iets opvallends."
    post = Post(thread_id=thread.id, author_id=author.id, body_source=body,
                body_html=str(render_markdown(body)), created_at=now)  # fmt: skip
    db.session.add(post)
    db.session.flush()
    thread.first_post_id = thread.last_post_id = post.id
    services.hide_post(post, moderator, "Naam van een leerling genoemd.")
    db.session.commit()
    return post


def focus_by_tab(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


def test_a_member_appeals_and_another_moderator_reverses_the_decision(new_page, make_user,
                                                                       tmp_path):  # fmt: skip
    author = make_user("Auteur Visser")
    decider = make_user("Moderator Bos", role="moderator", with_2fa=True)
    reviewer = make_user("Moderator Kok", role="moderator", with_2fa=True)
    post = hidden_post(author, decider)
    appeal_path = first_link(sent_emails(to=author.email)[-1].text_body, "/appeal/")

    member = new_page()
    member.goto(appeal_path)
    expect(member.get_by_role("heading", name="Bezwaar maken")).to_be_visible()
    assert "Naam van een leerling genoemd." in member.inner_text("main")
    assert_accessible(member)
    focus_by_tab(member, "#statement")
    member.keyboard.type("Kim is een verzonnen naam; zo staat het er ook.")
    member.keyboard.press("Tab")
    member.keyboard.press("Enter")
    member.get_by_role("status").filter(has_text="Je bezwaar is ontvangen").wait_for()
    expect(member.get_by_text("In behandeling")).to_be_visible()
    assert_accessible(member)

    mod = new_page()
    log_in(mod, decider.email, decider.totp_secret)
    mod.goto("/moderation")
    mod.get_by_role("link", name="Bezwaren (1)").focus()
    mod.keyboard.press("Enter")
    mod.get_by_role("heading", name="Bezwaren", exact=True).wait_for()
    assert_accessible(mod)
    mod.get_by_role("link", name="Bericht verborgen: Auteur Visser").focus()
    mod.keyboard.press("Enter")
    mod.get_by_text("Een andere moderator beslist erover.").wait_for()
    assert mod.get_by_role("button", name="Besluit opslaan").count() == 0
    assert_accessible(mod)

    other = new_page()
    log_in(other, reviewer.email, reviewer.totp_secret)
    other.goto("/moderation/appeals")
    other.get_by_role("link", name="Bericht verborgen: Auteur Visser").focus()
    other.keyboard.press("Enter")
    other.get_by_role("heading", name="Bezwaar van Auteur Visser").wait_for()
    assert_accessible(other)
    focus_by_tab(other, "input[name=outcome]")
    other.keyboard.press("ArrowDown")  # a radio group: the arrows choose
    assert other.get_by_label("Toekennen: het besluit terugdraaien").is_checked()
    focus_by_tab(other, "#note")
    other.keyboard.type("Verzonnen naam, niet herleidbaar. Het bericht is terug.")
    focus_by_tab(other, "button[type=submit]")
    other.screenshot(path=tmp_path / "appeal-decide.png", full_page=True)
    other.keyboard.press("Enter")
    other.get_by_role("status").filter(has_text="Het besluit over het bezwaar").wait_for()
    assert_accessible(other)

    member.goto(appeal_path)
    expect(member.get_by_text("Besluit teruggedraaid")).to_be_visible()
    expect(member.get_by_text("Verzonnen naam, niet herleidbaar.")).to_be_visible()
    assert_accessible(member)
    member.screenshot(path=tmp_path / "appeal-member.png", full_page=True)
    for page in (member, mod, other):
        assert page.errors == []

    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None
    assert db.session.scalar(select(Appeal.status)) == "reversed"
