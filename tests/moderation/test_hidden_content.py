"""Hidden content disappears: from the thread page (a placeholder instead of the post),
group pages, the dashboard and search. Pages built by other features are checked when
their route exists; a route not built yet is skipped, never failed."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from core.extensions import db
from moderation import services


def route_exists(app, path: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except NotFound:
        return False
    except MethodNotAllowed:
        return False
    return True


def page_text(client, path: str) -> str:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


@pytest.fixture
def setting(app, make_user, make_group, make_thread, make_reply, join, login):
    author = make_user("Schrijver")
    reader = make_user("Lezer")
    moderator = make_user("Mod", role="moderator", with_2fa=True)
    group = make_group("Netwerk Twente")
    for user in (author, reader):
        join(group, user)
    visible = make_thread(group, author, title="Zichtbaar gesprek Kwartelkoning",
                          body="Openingstekst Kwartelkoning")  # fmt: skip
    hidden = make_thread(group, author, title="Verborgen gesprek Roerdomp",
                         body="Openingstekst Roerdomp")  # fmt: skip
    reply = make_reply(visible, author, "Reactie met Grutto erin")
    client = app.test_client()
    login(client, reader)
    return {"client": client, "group": group, "moderator": moderator, "visible": visible,
            "hidden": hidden, "reply": reply}  # fmt: skip


def hide_all(setting) -> None:
    services.hide_post(setting["reply"], setting["moderator"], "Bevat een naam.")
    services.hide_thread(setting["hidden"], setting["moderator"], "Hoort hier niet.")
    db.session.commit()


def test_a_hidden_reply_disappears_from_the_thread_page(app, setting):
    path = f"/threads/{setting['visible'].id}"
    assert route_exists(app, path)
    assert "Grutto" in page_text(setting["client"], path)
    hide_all(setting)
    text = page_text(setting["client"], path)
    assert "Grutto" not in text
    assert "Openingstekst Kwartelkoning" in text


def test_a_hidden_thread_page_is_not_found_for_members(app, setting):
    path = f"/threads/{setting['hidden'].id}"
    assert route_exists(app, path)
    hide_all(setting)
    response = setting["client"].get(path)
    assert response.status_code == 404
    assert "Roerdomp" not in response.get_data(as_text=True)


def test_a_hidden_thread_disappears_from_the_group_page(app, setting):
    path = f"/groups/{setting['group'].slug}"
    assert route_exists(app, path)
    before = page_text(setting["client"], path)
    assert "Roerdomp" in before
    assert "Kwartelkoning" in before
    hide_all(setting)
    after = page_text(setting["client"], path)
    assert "Roerdomp" not in after
    assert "Kwartelkoning" in after


@pytest.mark.parametrize("path", ["/", "/dashboard"])
def test_a_hidden_thread_disappears_from_the_dashboard(app, setting, path):
    assert route_exists(app, path)
    before = page_text(setting["client"], path)
    assert "Kwartelkoning" in before, f"{path} does not list recent threads"
    hide_all(setting)
    after = page_text(setting["client"], path)
    assert "Roerdomp" not in after
    assert "Kwartelkoning" in after


# The word searched for, and what a search result shows for it (the thread's title).
SEARCHES = [
    ("Roerdomp", "Verborgen gesprek Roerdomp"),
    ("Grutto", "Zichtbaar gesprek Kwartelkoning"),
]


@pytest.mark.parametrize(("word", "result"), SEARCHES)
def test_hidden_content_is_not_found_by_search(app, setting, word, result):
    assert route_exists(app, "/search")
    assert result in page_text(setting["client"], f"/search?q={word}")
    hide_all(setting)
    assert result not in page_text(setting["client"], f"/search?q={word}")
    assert "Zichtbaar gesprek Kwartelkoning" in page_text(
        setting["client"], "/search?q=Kwartelkoning"
    )
