"""The JSON API: what each viewer gets, the one write, and the HTTP conventions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db
from tests.api.conftest import bearer
from tests.conftest import count_queries
from tests.factories import join, make_group, make_thread


@pytest.fixture
def world(app, make_user, schedule_event):
    """A member of an open and a closed group; a secret group they are not in."""
    member = make_user(name="Lid")
    outsider = make_user(name="Buitenstaander")
    open_group = make_group("Open groep", slug="open")
    closed = make_group("Gesloten groep", visibility="closed", slug="gesloten")
    secret = make_group("Geheime groep", visibility="secret", slug="geheim")
    join(closed, member)
    return {
        "member": member,
        "outsider": outsider,
        "open": open_group,
        "closed": closed,
        "secret": secret,
        "open_event": schedule_event(open_group, days=2, title="Open bijeenkomst"),
        "closed_event": schedule_event(closed, days=1, title="Gesloten bijeenkomst"),
        "secret_event": schedule_event(secret, days=1, title="Geheime bijeenkomst"),
    }


def titles(response) -> list[str]:
    return [item["title"] for item in response.get_json()["items"]]


def test_a_member_lists_the_events_of_groups_they_may_read_soonest_first(
    client, world, issue_token
):
    token = issue_token(world["member"])
    response = client.get("/api/v1/events", headers=bearer(token))
    assert response.status_code == 200
    assert titles(response) == ["Gesloten bijeenkomst", "Open bijeenkomst"]


def test_an_outsider_sees_only_the_open_groups_events(client, world, issue_token):
    token = issue_token(world["outsider"])
    assert titles(client.get("/api/v1/events", headers=bearer(token))) == ["Open bijeenkomst"]
    event_id = world["closed_event"].id
    response = client.get(f"/api/v1/events/{event_id}", headers=bearer(token))
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {
            "code": "not_found",
            "message": "Not found, or not visible to you.",
            "status": 404,
        }
    }


def test_a_visitor_sees_no_events_and_no_groups(client, world):
    assert client.get("/api/v1/events").get_json() == {"items": [], "next_cursor": None}
    assert client.get("/api/v1/groups").get_json()["items"] == []
    assert client.get(f"/api/v1/events/{world['open_event'].id}").status_code == 404


def test_the_address_is_shown_only_after_confirmed_registration(client, world, issue_token):
    token = issue_token(world["member"], write=True)
    url = f"/api/v1/events/{world['open_event'].id}"
    before = client.get(url, headers=bearer(token)).get_json()
    assert before["location"] is None
    assert before["online_url"] is None
    assert before["my_registration"] is None

    registered = client.post(url + "/register", headers=bearer(token))
    assert registered.status_code == 200
    body = registered.get_json()
    assert body["my_registration"]["status"] == "confirmed"
    assert body["location"] == "Stadhuisplein 1, Utrecht"
    listed = client.get("/api/v1/events", headers=bearer(token)).get_json()["items"]
    assert {item["title"]: item["my_registration"] for item in listed}["Open bijeenkomst"][
        "status"
    ] == "confirmed"


def test_registering_twice_answers_the_same_and_unregistering_frees_the_seat(
    client, world, issue_token
):
    from events.models import Registration

    token = issue_token(world["member"], write=True)
    url = f"/api/v1/events/{world['open_event'].id}"
    client.post(url + "/register", headers=bearer(token))
    again = client.post(url + "/register", headers=bearer(token))
    assert again.get_json()["my_registration"]["status"] == "confirmed"
    assert db.session.query(Registration).count() == 1

    left = client.post(url + "/unregister", headers=bearer(token))
    assert left.status_code == 200
    assert left.get_json()["my_registration"] is None
    assert db.session.get(Registration, 1) is None or {
        r.status for r in db.session.query(Registration)
    } == {"cancelled"}


def test_a_full_event_puts_the_member_on_the_waitlist_with_a_position(
    client, app, world, make_user, issue_token, schedule_event
):
    event = schedule_event(world["open"], capacity=1, title="Vol")
    first, second = issue_token(make_user(), write=True), issue_token(world["member"], write=True)
    client.post(f"/api/v1/events/{event.id}/register", headers=bearer(first))
    body = client.post(f"/api/v1/events/{event.id}/register", headers=bearer(second)).get_json()
    assert body["my_registration"] == {"event_id": event.id, "status": "waitlisted",
                                       "waitlist_position": 1}  # fmt: skip
    assert body["seats_left"] == 0


def test_registration_after_the_deadline_is_a_conflict(client, world, issue_token, schedule_event):
    event = schedule_event(world["open"], registration_deadline=utcnow() - timedelta(hours=1))
    token = issue_token(world["member"], write=True)
    response = client.post(f"/api/v1/events/{event.id}/register", headers=bearer(token))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "registration_closed"


def test_a_read_only_token_may_not_register(client, world, issue_token):
    token = issue_token(world["member"])
    response = client.post(f"/api/v1/events/{world['open_event'].id}/register",
                           headers=bearer(token))  # fmt: skip
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"


def test_a_visitor_may_not_register(client, world):
    response = client.post(f"/api/v1/events/{world['open_event'].id}/register")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_required"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_groups_list_hides_secret_groups_and_says_what_the_viewer_may_read(
    client, world, issue_token
):
    token = issue_token(world["member"])
    items = client.get("/api/v1/groups", headers=bearer(token)).get_json()["items"]
    by_slug = {item["slug"]: item for item in items}
    assert set(by_slug) == {"open", "gesloten"}
    assert by_slug["gesloten"]["membership"] == {"status": "active", "role": "member"}
    assert by_slug["gesloten"]["can_read"] is True
    outsider = issue_token(world["outsider"])
    items = client.get("/api/v1/groups", headers=bearer(outsider)).get_json()["items"]
    assert {i["slug"]: i["can_read"] for i in items} == {"open": True, "gesloten": False}
    assert client.get("/api/v1/groups/geheim", headers=bearer(outsider)).status_code == 404


def test_threads_and_posts_of_a_closed_group_only_for_its_members(client, world, issue_token):
    thread = make_thread(world["closed"], world["member"], title="Casus", replies=2)
    member, outsider = issue_token(world["member"]), issue_token(world["outsider"])
    listed = client.get("/api/v1/groups/gesloten/threads", headers=bearer(member)).get_json()
    assert [t["title"] for t in listed["items"]] == ["Casus"]
    posts = client.get(f"/api/v1/threads/{thread.id}/posts", headers=bearer(member)).get_json()
    assert [p["depth"] for p in posts["items"]] == [0, 1, 1]
    assert posts["items"][0]["body_html"].startswith("<p>")

    assert (
        client.get("/api/v1/groups/gesloten/threads", headers=bearer(outsider)).status_code == 403
    )
    assert client.get(f"/api/v1/threads/{thread.id}", headers=bearer(outsider)).status_code == 404
    assert client.get(f"/api/v1/threads/{thread.id}/posts",
                      headers=bearer(outsider)).status_code == 404  # fmt: skip


def test_hidden_posts_keep_their_place_without_their_text(client, world, issue_token):
    from forum.models import Post

    thread = make_thread(world["open"], world["member"], replies=1)
    reply = db.session.query(Post).filter_by(thread_id=thread.id, depth=1).one()
    reply.hidden_at = utcnow()
    db.session.commit()
    token = issue_token(world["member"])
    items = client.get(f"/api/v1/threads/{thread.id}/posts", headers=bearer(token)).get_json()[
        "items"
    ]
    assert items[1]["is_hidden"] is True
    assert items[1]["body_html"] is None


def test_notifications_are_the_token_owners_own(client, world, issue_token):
    from notifications.models import Notification

    db.session.add_all([
        Notification(user_id=world["member"].id, kind="reply", title="Voor het lid"),
        Notification(user_id=world["outsider"].id, kind="reply", title="Voor een ander"),
    ])  # fmt: skip
    db.session.commit()
    token = issue_token(world["member"])
    response = client.get("/api/v1/notifications", headers=bearer(token))
    assert titles(response) == ["Voor het lid"]
    assert client.get("/api/v1/notifications").status_code == 401


def test_me_describes_the_token(client, world, issue_token):
    token = issue_token(world["member"], write=True)
    body = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert body["display_name"] == "Lid"
    assert body["token"]["scopes"] == ["read", "write"]


# --- HTTP conventions ---------------------------------------------------------------


@pytest.mark.parametrize("header", ["Bearer jep_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_a_wrong_token_is_refused_not_treated_as_a_visitor(client, world, header):
    response = client.get("/api/v1/events", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_revoked_expired_and_suspended_tokens_stop_working(client, world, issue_token):
    from api.models import ApiToken

    revoked, expired, suspended = (issue_token(world["member"]) for _ in range(3))
    rows = db.session.query(ApiToken).order_by(ApiToken.id).all()
    rows[0].revoked_at = utcnow()
    rows[1].created_at = utcnow() - timedelta(days=40)
    rows[1].expires_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(revoked)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(expired)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(suspended)).status_code == 200
    world["member"].status = "suspended"
    db.session.commit()
    assert client.get("/api/v1/me", headers=bearer(suspended)).status_code == 401


def test_unknown_paths_and_methods_answer_in_the_same_json_shape(client):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == {"code": "not_found",
                                           "message": "Not found, or not visible to you.",
                                           "status": 404}  # fmt: skip
    wrong = client.delete("/api/v1/events")
    assert wrong.status_code == 405
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]


def test_an_unexpected_error_is_a_json_500(app, client, monkeypatch):
    import api.registry

    app.config["RENDER_500_IN_TESTS"] = True

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.registry, "paginate", broken)
    response = client.get("/api/v1/regions")
    assert response.status_code == 500
    assert response.get_json()["error"] == {
        "code": "server_error",
        "message": "Something went wrong on our side. Try again in a few minutes.",
        "status": 500,
    }


def test_bad_parameters_and_cursors_are_400(client, world, issue_token):
    token = issue_token(world["member"])
    for query in ("limit=0", "limit=abc", "when=tomorrow", "cursor=forged"):
        response = client.get(f"/api/v1/events?{query}", headers=bearer(token))
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] in {"invalid_parameter", "invalid_cursor"}


def test_cursor_pagination_walks_every_item_once(client, world, issue_token, schedule_event):
    for day in range(5):
        schedule_event(world["open"], days=10 + day, title=f"Reeks {day}")
    token = issue_token(world["member"])
    seen, url = [], "/api/v1/events?limit=2"
    while url:
        body = client.get(url, headers=bearer(token)).get_json()
        seen += [item["title"] for item in body["items"]]
        url = (
            f"/api/v1/events?limit=2&cursor={body['next_cursor']}" if body["next_cursor"] else None
        )
    assert seen == ["Gesloten bijeenkomst", "Open bijeenkomst"] + [f"Reeks {d}" for d in range(5)]
    other = client.get("/api/v1/events?limit=1", headers=bearer(token)).get_json()["next_cursor"]
    response = client.get(f"/api/v1/groups?cursor={other}", headers=bearer(token))
    assert response.status_code == 400  # A cursor belongs to its own listing.


def test_etag_answers_304_until_something_changes(client, world, issue_token):
    token = issue_token(world["member"])
    first = client.get("/api/v1/events", headers=bearer(token))
    etag = first.headers["ETag"]
    again = client.get("/api/v1/events", headers={**bearer(token), "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    world["open_event"].title = "Nieuwe titel"
    db.session.commit()
    changed = client.get("/api/v1/events", headers={**bearer(token), "If-None-Match": etag})
    assert changed.status_code == 200
    assert "Authorization" in first.headers["Vary"]


def test_cors_only_on_public_reads_by_visitors(client, world, issue_token):
    public = client.get("/api/v1/regions", headers={"Origin": "https://gemeente.example"})
    assert public.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in public.headers
    token = issue_token(world["member"])
    with_token = client.get("/api/v1/regions", headers=bearer(token))
    assert "Access-Control-Allow-Origin" not in with_token.headers
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/events").headers


def test_the_event_list_runs_the_same_queries_for_two_or_twenty_events(
    client, world, issue_token, schedule_event
):
    token = issue_token(world["member"], write=True)
    client.get("/api/v1/me", headers=bearer(token))  # Stamp last_used_at first.

    def queries_for_list() -> int:
        with count_queries() as counter:
            assert client.get("/api/v1/events?limit=100", headers=bearer(token)).status_code == 200
        return counter.count

    few = queries_for_list()
    for day in range(18):
        event = schedule_event(world["closed"], days=5 + day)
        client.post(f"/api/v1/events/{event.id}/register", headers=bearer(token))
    assert queries_for_list() == few


@pytest.mark.parametrize(
    "path",
    ["/api/v1/groups", "/api/v1/groups/open/threads", "/api/v1/threads/{thread}/posts",
     "/api/v1/notifications"],
)  # fmt: skip
def test_listings_run_the_same_queries_for_few_or_many_rows(
    client, world, issue_token, make_user, path
):
    from forum.models import Post
    from notifications.models import Notification

    token = issue_token(world["member"])
    thread = make_thread(world["open"], world["member"], replies=1)
    url = path.format(thread=thread.id)
    client.get("/api/v1/me", headers=bearer(token))  # Stamp last_used_at first.

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(url + "?limit=100", headers=bearer(token)).status_code == 200
        return counter.count

    few = queries()
    for n in range(6):
        other = make_user()
        join(make_group(f"Extra {n}"), other)
        make_thread(world["open"], other, replies=2)
        db.session.add_all([
            Notification(user_id=world["member"].id, kind="reply", title=f"N{n}"),
            Post(thread_id=thread.id, author_id=other.id, depth=1, body_source="Ja.",
                 body_html="<p>Ja.</p>"),
        ])  # fmt: skip
    db.session.commit()
    assert queries() == few
