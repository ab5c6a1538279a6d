"""Groups in a real browser: a member joins an open group and asks to join a closed one,
the coordinator admits her, and a member from elsewhere finds nothing of the closed
group's content. axe reports no violations on any page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.factories import join, make_group, make_thread
from tests.fixtures.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, user):
    page.goto("/auth/login")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def visit(page, path, *, status=200):
    response = page.goto(path)
    assert response.status == status, path
    assert_accessible(page)
    # The browser logs a 404 answer itself as a console error; anything else is a failure.
    assert [e for e in page.errors if "404" not in e] == []
    page.errors.clear()


def test_join_request_and_approval_journey(new_page, make_user, live_server):
    open_group = make_group("Online radicalisering", description="Wat jongeren online zien.")
    closed = make_group(
        "Casuïstiek Rotterdam-Rijnmond",
        visibility="closed",
        description="Besloten: alleen anoniem casussen bespreken.",
    )
    secret = make_group("Intervisie Utrecht", visibility="secret", kind="intervision")
    anna = make_user("Anna Docent", sector="onderwijs", region="rotterdam-rijnmond")
    carla = make_user("Carla Wijkagent", sector="politie", region="rotterdam-rijnmond")
    chris = make_user("Chris Jongerenwerker", sector="jongerenwerk", region="groningen")
    join(closed, carla, role="coordinator")
    join(secret, carla, role="coordinator")
    thread = make_thread(
        closed, carla, title="Zorgen over een groepje rond het buurthuis", kind="question"
    )
    make_thread(open_group, carla, title="Incel-taal in de kleedkamer", replies=2)

    # Anna joins the open group from the list and asks to join the closed one.
    page = new_page()
    log_in(page, anna)
    visit(page, "/")
    visit(page, "/groups")
    page.get_by_role("listitem").filter(has_text="Online radicalisering").get_by_role(
        "button", name="Lid worden"
    ).click()
    expect(
        page.get_by_role("status").filter(has_text="Je bent lid van Online radicalisering")
    ).to_be_visible()
    assert_accessible(page)
    visit(page, f"/groups/{open_group.slug}")
    expect(page.get_by_role("link", name="Incel-taal in de kleedkamer")).to_be_visible()

    visit(page, f"/groups/{closed.slug}")
    assert page.get_by_text("Zorgen over een groepje").count() == 0
    page.get_by_role("button", name="Verzoek om lid te worden").click()
    expect(page.get_by_role("status").filter(has_text="Je verzoek is verstuurd")).to_be_visible()
    expect(page.get_by_text("Verzoek verstuurd")).to_be_visible()
    assert_accessible(page)

    # Carla, the coordinator, admits her.
    coordinator = new_page()
    log_in(coordinator, carla)
    visit(coordinator, "/")
    expect(coordinator.get_by_role("link", name="1 verzoek om lid te worden")).to_be_visible()
    visit(coordinator, f"/groups/{closed.slug}/members")
    coordinator.get_by_role("row", name="Anna Docent").get_by_role(
        "button", name="Toelaten"
    ).click()
    expect(
        coordinator.get_by_role("status").filter(has_text="Anna Docent is toegelaten")
    ).to_be_visible()
    assert_accessible(coordinator)

    # Now Anna reads the closed group.
    visit(page, f"/groups/{closed.slug}")
    expect(
        page.get_by_role("link", name="Zorgen over een groepje rond het buurthuis")
    ).to_be_visible()
    visit(page, "/")
    expect(
        page.get_by_role("link", name="Zorgen over een groepje rond het buurthuis").first
    ).to_be_visible()

    # Chris, from another region and without membership, finds none of its content.
    outsider = new_page()
    log_in(outsider, chris)
    visit(outsider, f"/groups/{closed.slug}")
    assert outsider.get_by_text("Zorgen over een groepje").count() == 0
    visit(outsider, f"/groups/{closed.slug}/members", status=404)
    visit(outsider, f"/threads/{thread.id}", status=404)
    visit(outsider, f"/groups/{secret.slug}", status=404)
    visit(outsider, "/groups")
    assert outsider.get_by_text("Intervisie Utrecht").count() == 0
    visit(outsider, "/")
    assert outsider.get_by_text("Zorgen over een groepje").count() == 0
