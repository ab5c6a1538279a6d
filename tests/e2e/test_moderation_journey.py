"""Moderation in a real browser: a member reports a post as acute danger and sees what to
do now; a moderator with 2FA hides it from the queue. Plus the privacy guard on the
new-thread form: a warning can be overridden, a block cannot."""

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
from moderation.models import Report
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, email, totp_secret=None):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if totp_secret:
        page.get_by_label("Code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Doorgaan").click()
    page.wait_for_load_state()


def open_group_with_thread(author, *members):
    group = Group(slug="netwerk-oost", name="Netwerk Oost", visibility="members")
    db.session.add(group)
    db.session.flush()
    for user in (author, *members):
        db.session.add(Membership(group_id=group.id, user_id=user.id))
    now = utcnow()
    thread = Thread(group_id=group.id, author_id=author.id, title="Dreigende taal in de klas",
                    created_at=now, last_activity_at=now)  # fmt: skip
    db.session.add(thread)
    db.session.flush()
    body = "Ik ga ze allemaal pakken morgen."
    post = Post(thread_id=thread.id, author_id=author.id, body_source=body,
                body_html=str(render_markdown(body)), created_at=now)  # fmt: skip
    db.session.add(post)
    db.session.flush()
    thread.first_post_id = thread.last_post_id = post.id
    db.session.commit()
    return group, thread, post


def test_report_acute_danger_then_moderator_hides_from_the_queue(new_page, make_user):
    author = make_user("Auteur Jansen")
    reporter = make_user("Melder de Vries")
    moderator = make_user("Moderator Bos", role="moderator", with_2fa=True)
    _group, thread, post = open_group_with_thread(author, reporter)

    page = new_page()
    log_in(page, reporter.email)
    page.goto(f"/threads/{thread.id}")
    page.get_by_role("link", name=f"Meld bericht {post.id}").click()
    expect(page.get_by_role("heading", name="Bericht melden")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bedreiging of acuut gevaar").check()
    page.get_by_label("Toelichting (optioneel)").fill("Dit klinkt als een concrete dreiging.")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Melding verstuurd")).to_be_visible()
    guidance = page.get_by_role("region", name="Is er acuut gevaar?")
    assert "112" in guidance.inner_text()
    assert "0900-8844" in guidance.inner_text()
    assert_accessible(page)
    assert page.errors == []

    mod = new_page()
    log_in(mod, moderator.email, moderator.totp_secret)
    mod.goto("/moderation")
    expect(mod.get_by_role("heading", name="Bedreiging of acuut gevaar")).to_be_visible()
    assert_accessible(mod)
    mod.get_by_role("link", name="Bekijken en handelen").first.click()
    mod.locator("#hide-reason").fill("Bedreiging; doorgezet naar de politie.")
    mod.get_by_role("button", name="Bericht verbergen").click()
    expect(mod.get_by_role("status").filter(has_text="Het bericht is verborgen")).to_be_visible()
    assert_accessible(mod)
    assert mod.errors == []

    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_reason == "Bedreiging; doorgezet naar de politie."
    assert db.session.scalar(select(Report.status)) == "resolved"


def test_privacy_guard_warns_then_saves_after_override_and_blocks_a_bsn(new_page, make_user, app):
    member = make_user("Schrijver Smit")
    group = Group(slug="netwerk-west", name="Netwerk West", visibility="members")
    db.session.add(group)
    db.session.flush()
    db.session.add(Membership(group_id=group.id, user_id=member.id))
    db.session.commit()

    page = new_page()
    log_in(page, member.email)
    page.goto("/groups/netwerk-west/threads/new")
    page.locator("#title").fill("Vraag over een leerling")
    page.locator("#body").fill("Burgerservicenummer 111222333 staat in het dossier.")
    page.get_by_role("button", name="Plaats gesprek").click()
    notice = page.locator("#privacy-notice")
    assert "Dit kan niet worden geplaatst" in notice.inner_text()
    assert page.get_by_label("Ik heb gecontroleerd dat dit niet herleidbaar is").count() == 0
    assert "111222333" in page.locator("#body").input_value()  # the text is kept
    assert_accessible(page)

    page.locator("#body").fill("Zijn moeder belde mij op 06-12345678 over hem.")
    page.get_by_role("button", name="Plaats gesprek").click()
    expect(page.locator("#privacy-notice")).to_contain_text(
        "Controleer je tekst op persoonsgegevens"
    )
    assert_accessible(page)
    page.get_by_label("Ik heb gecontroleerd dat dit niet herleidbaar is").check()
    page.get_by_role("button", name="Plaats gesprek").click()
    expect(page.get_by_role("heading", name="Vraag over een leerling")).to_be_visible()
    # The refused submissions answer 422, which the console reports; no script errors.
    assert [e for e in page.errors if "status of 422" not in e] == []

    db.session.expire_all()
    post = db.session.scalar(select(Post).where(Post.author_id == member.id))
    assert post.privacy_override is True
    assert "111222333" not in post.body_source


def test_audit_log_suspension_and_my_data_pages_are_accessible(new_page, make_user):
    admin = make_user("Beheerder Mulder", role="admin", with_2fa=True)
    member = make_user("Lid Peters")
    page = new_page()
    log_in(page, admin.email, admin.totp_secret)
    page.goto(f"/moderation/members/{member.id}")
    page.get_by_label("Reden van de schorsing").fill("Herhaaldelijk schelden.")
    page.get_by_role("button", name="Account schorsen").click()
    expect(page.get_by_text("Geschorst", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto("/moderation/audit")
    expect(page.get_by_role("cell", name="Herhaaldelijk schelden.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Actie").select_option("member.suspend")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("cell", name="Account geschorst")).to_be_visible()

    other = make_user("Lid de Boer")
    mine = new_page()
    log_in(mine, other.email)
    mine.goto("/account/data")
    expect(mine.get_by_role("heading", name="Mijn gegevens", exact=True)).to_be_visible()
    assert_accessible(mine)
    with mine.expect_download() as download:
        mine.get_by_role("button", name="Download mijn gegevens").click()
    assert download.value.suggested_filename.endswith(".json")
    assert page.errors == []
    assert mine.errors == []
