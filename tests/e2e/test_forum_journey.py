"""The forum in a real browser: a question across sectors from opening to accepted answer,
a closed group's thread invisible to an outsider, and the XSS corpus rendered harmlessly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from forum import services
from forum.models import Post, Thread
from tests.conftest import TEST_PASSWORD
from tests.core.test_text import XSS_VECTORS
from tests.factories import join, make_group
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config() -> dict:
    return {"POST_MIN_INTERVAL_SECONDS": 0, "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS": 0}


def log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def post_article(page, post_id: int):
    return page.locator(f"#post-{post_id}")


def test_question_from_opening_to_accepted_answer_across_sectors(new_page, make_user):
    anna = make_user("Anna de Vries", sector="onderwijs", region="twente")
    bram = make_user("Bram Jansen", sector="politie", region="twente")
    carla = make_user("Carla Smit", sector="jeugdhulp", region="utrecht")
    group = make_group(
        "Regio Twente – casusoverleg", visibility="closed", kind="regional", region="twente"
    )
    join(group, anna)
    join(group, bram)

    # A opens a question with the case template (inserted by JavaScript, text kept).
    a = new_page()
    log_in(a, anna.email)
    a.goto(f"/groups/{group.slug}/threads/new")
    assert_accessible(a)
    a.get_by_label("Titel").fill("Leerling deelt complotfilmpjes in de klas")
    a.get_by_label("Vraag (casus of advies)").check()
    a.get_by_label("Tekst").fill("Ik zoek advies.")
    a.get_by_role("link", name="Gebruik het casussjabloon").click()
    body = a.get_by_label("Tekst").input_value()
    assert body.startswith("Ik zoek advies.")
    assert "Waargenomen feiten" in body
    a.get_by_label("Complotdenken").check()
    a.get_by_role("button", name="Plaats gesprek").click()
    expect(
        a.get_by_role("heading", name="Leerling deelt complotfilmpjes in de klas")
    ).to_be_visible()
    thread = db.session.scalar(select(Thread))
    assert_accessible(a)

    # B, from another sector, replies.
    b = new_page()
    log_in(b, bram.email)
    b.goto(f"/threads/{thread.id}")
    b.get_by_label("Je reactie").fill("Als wijkagent zou ik eerst met de mentor praten.")
    b.get_by_role("button", name="Plaats reactie").click()
    b_reply = db.session.scalar(select(Post).where(Post.author_id == bram.id))
    assert "Als wijkagent" in post_article(b, b_reply.id).inner_text()
    assert (
        b.get_by_role("region", name="Sectoren in dit gesprek").inner_text().count("Politie") == 1
    )

    # A answers B's reply: a nested reply.
    a.goto(f"/threads/{thread.id}")
    a.get_by_role("link", name=f"Reageer op bericht {b_reply.id}").click()
    a.get_by_label("Je reactie").fill("Dank je. Betrek je de ouders daar meteen bij?")
    a.get_by_role("button", name="Plaats reactie").click()
    nested = db.session.scalar(select(Post).where(Post.parent_id == b_reply.id))
    assert nested is not None
    assert nested.depth == 2
    expect(
        a.locator(f"li:has(> #post-{b_reply.id}) > ol.replies #post-{nested.id}")
    ).to_be_visible()
    assert_accessible(a)

    # B edits the reply; the page says it was edited.
    b.goto(f"/threads/{thread.id}")
    b.get_by_role("link", name=f"Bewerk bericht {b_reply.id}").click()
    b.get_by_label("Tekst").fill(
        "Als wijkagent zou ik eerst met de mentor en de zorgcoördinator praten."
    )
    b.get_by_role("button", name="Opslaan").click()
    expect(post_article(b, b_reply.id)).to_contain_text("bewerkt")
    expect(post_article(b, b_reply.id)).to_contain_text("zorgcoördinator")
    assert_accessible(b)

    # A marks B's reply as the answer; it shows under the question.
    a.goto(f"/threads/{thread.id}")
    post_article(a, b_reply.id).get_by_role("button", name="Markeer als antwoord").click()
    accepted = a.get_by_role("region", name="Geaccepteerd antwoord")
    assert "zorgcoördinator" in accepted.inner_text()
    expect(a.get_by_text("Beantwoord", exact=True)).to_be_visible()
    assert_accessible(a)

    # C, from another region and not a member, cannot open the closed group's thread.
    c = new_page()
    log_in(c, carla.email)
    response = c.goto(f"/threads/{thread.id}")
    assert response.status == 404
    assert "Leerling deelt" not in c.content()
    for page in (a, b):
        assert page.errors == []


def harmless(vector: str) -> str:
    """The vector with its payload setting a flag instead of opening a dialog."""
    return (
        vector.replace("alert(1)", "window.__xss=1")
        .replace("msgbox(1)", "window.__xss=1")
        .replace("evil.example/x.js", "127.0.0.1:9/x.js")
    )


def test_the_xss_corpus_posted_in_a_thread_runs_no_script(new_page, make_user):
    author = make_user("Xander Test", sector="onderwijs")
    group = make_group("Testgroep", visibility="members")
    join(group, author)
    thread = services.create_thread(group, author, title="Alle vectoren", body="Zie de reacties.")
    for vector in XSS_VECTORS[:-1]:
        services.create_reply(thread, author, body=harmless(vector))
    db.session.commit()

    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, author.email)
    # The last vector goes through the reply form itself.
    page.goto(f"/threads/{thread.id}")
    page.get_by_label("Je reactie").fill(harmless(XSS_VECTORS[-1]))
    page.get_by_role("button", name="Plaats reactie").click()
    page.wait_for_load_state()

    for number in (1, 2, 3):
        page.goto(f"/threads/{thread.id}?page={number}")
        bodies = page.locator(".post-body")
        assert bodies.count() > 0
        for i in range(min(bodies.count(), 25)):
            bodies.nth(i).hover()
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__xss") == "undefined"
        injected = page.evaluate(
            """() => [...document.querySelectorAll('.post-body *')].filter(el =>
                 !['P','BR','HR','H1','H2','H3','H4','H5','H6','STRONG','EM','DEL','S','CODE',
                   'PRE','BLOCKQUOTE','UL','OL','LI','A','TABLE','THEAD','TBODY','TR','TH','TD']
                   .includes(el.tagName)
                 || [...el.attributes].some(a => a.name.startsWith('on') || a.name === 'style'
                   || (a.name === 'href' && /^\\s*(javascript|data|vbscript):/i.test(a.value)))
               ).map(el => el.outerHTML)"""
        )
        assert injected == []
    assert dialogs == []
    assert page.errors == []
