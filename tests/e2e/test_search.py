"""Searching from the header box in a real browser; the results page is axe clean."""

from __future__ import annotations

import pytest

from core import signals
from core.db import utcnow
from core.extensions import db
from core.text import render_markdown
from tests.conftest import TEST_PASSWORD
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def member(sqlite_app):
    from auth.models import User
    from auth.passwords import hash_password
    from forum.models import Post, Thread
    from groups.models import Group

    user = User(email="zoeker@example.org", display_name="Zoeker", status="active",
                password_hash=hash_password(TEST_PASSWORD), email_confirmed_at=utcnow(),
                approved_at=utcnow(), terms_accepted_at=utcnow())  # fmt: skip
    group = Group(slug="regio-test", name="Regio Test", visibility="members")
    db.session.add_all([user, group])
    db.session.flush()
    for n in range(3):
        thread = Thread(group_id=group.id, author_id=user.id, kind="question",
                        title=f"Jongere deelt complotfilmpjes {n}")  # fmt: skip
        db.session.add(thread)
        db.session.flush()
        body = "Wat deden anderen bij een jongere die <script>complotfilmpjes</script> deelt?"
        post = Post(thread_id=thread.id, author_id=user.id, depth=0, body_source=body,
                    body_html=str(render_markdown(body)))  # fmt: skip
        db.session.add(post)
        db.session.flush()
        signals.thread_created.send(thread=thread, post=post)  # search indexes on the signal
    db.session.commit()
    return user


def test_member_searches_from_the_header_and_gets_accessible_results(page, member):
    page.goto("/auth/login")
    page.fill("#email", member.email)
    page.fill("#password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.get_by_role("searchbox", name="Zoeken").fill("complotfilmpjes")
    page.get_by_role("searchbox", name="Zoeken").press("Enter")
    page.wait_for_url("**/search?q=complotfilmpjes")

    assert page.locator("main h1").inner_text() == "Zoeken"
    assert page.locator(".search-result").count() == 3
    assert page.locator(".search-result mark").count() >= 3
    assert "<script>" in page.locator(".search-snippet").first.inner_text()
    assert_accessible(page)

    page.get_by_label("Soort").select_option("event")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Geen resultaten gevonden" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.errors == []
