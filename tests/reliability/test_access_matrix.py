"""The access-control matrix, generated from the URL map.

A closed and a secret group hold a thread, posts, an event with a registration and a
report. An active member of neither group visits every route with those objects' ids
substituted. Whatever the route, the answer carries none of the private content, and
nothing changes. New routes are covered automatically.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, Rule

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown

SECRET_MARKERS = ("Geheime casus Zeeuwse school", "vertrouwelijke observatie 7731",
                  "Intervisie geheim 4420", "Kloosterstraat 99 zaal B",
                  "https://meet.example/geheim-8812")  # fmt: skip
POST_FIELDS = {"body": "x", "title": "Een titel van genoeg lengte", "reason": "overig",
               "note": "x", "kind": "useful", "level": "watch", "group_id": "1",
               "role": "admin", "email": "x@example.org", "password": "x" * 12,
               "user_id": "1", "registration_ids": "1", "attended": "1"}  # fmt: skip


@pytest.fixture
def private_world(app, make_user):
    from api.services import create_token
    from events.models import Event, Registration
    from forum.models import Post, Thread
    from groups.models import Group, Membership
    from moderation.models import Report

    coordinator = make_user(name="Coördinator")
    insider = make_user(name="Insider")
    world = {}
    for visibility, title_marker in (("closed", 0), ("secret", 2)):
        group = Group(slug=f"prive-{visibility}", name=f"Privé {visibility}", kind="intervision",
                      visibility=visibility)  # fmt: skip
        db.session.add(group)
        db.session.flush()
        db.session.add_all([
            Membership(group_id=group.id, user_id=coordinator.id, role="coordinator"),
            Membership(group_id=group.id, user_id=insider.id, role="member"),
        ])  # fmt: skip
        thread = Thread(group_id=group.id, author_id=insider.id,
                        title=SECRET_MARKERS[title_marker], kind="question")  # fmt: skip
        db.session.add(thread)
        db.session.flush()
        first = Post(thread_id=thread.id, author_id=insider.id, depth=0,
                     body_source=SECRET_MARKERS[1],
                     body_html=str(render_markdown(SECRET_MARKERS[1])))  # fmt: skip
        db.session.add(first)
        db.session.flush()
        reply = Post(thread_id=thread.id, author_id=coordinator.id, depth=1, parent_id=first.id,
                     body_source=SECRET_MARKERS[1],
                     body_html=str(render_markdown(SECRET_MARKERS[1])))  # fmt: skip
        db.session.add(reply)
        db.session.flush()
        thread.first_post_id, thread.last_post_id, thread.reply_count = first.id, reply.id, 1
        event = Event(group_id=group.id, title=SECRET_MARKERS[title_marker],
                      starts_at=utcnow() + timedelta(days=3),
                      ends_at=utcnow() + timedelta(days=3, hours=2), capacity=5,
                      location=SECRET_MARKERS[3], online_url=SECRET_MARKERS[4])  # fmt: skip
        db.session.add(event)
        db.session.flush()
        registration = Registration(event_id=event.id, user_id=insider.id, status="confirmed")
        event.confirmed_count = 1
        db.session.add(registration)
        db.session.flush()
        report = Report(post_id=reply.id, reporter_id=insider.id, reason="overig", note="x")
        db.session.add(report)
        db.session.flush()
        api_token = create_token(insider, f"sleutel {visibility}", write=True, lifetime_days=30)
        world[visibility] = {"slug": group.slug, "thread_id": thread.id, "post_id": reply.id,
                             "event_id": event.id, "registration_id": registration.id,
                             "report_id": report.id, "user_id": insider.id,
                             "token": "guessed-token", "real_token": insider.calendar_token,
                             "token_id": api_token.token.id}  # fmt: skip
    # A private advice question of the insider (advice/): only they and advisers read it.
    from advice.models import AdviceMessage, AdviceQuestion

    question = AdviceQuestion(asker_id=insider.id, subject=SECRET_MARKERS[0],
                              body_source=SECRET_MARKERS[1], body_html=SECRET_MARKERS[1],
                              due_at=utcnow() + timedelta(days=2))  # fmt: skip
    db.session.add(question)
    db.session.flush()
    db.session.add(AdviceMessage(question_id=question.id, author_id=insider.id,
                                 body_source=SECRET_MARKERS[1], body_html=SECRET_MARKERS[1]))  # fmt: skip
    for ids in world.values():
        ids.update(question_id=question.id, answer="accept")
    db.session.commit()
    return world


def build(rule: Rule, ids: dict) -> str | None:
    values = {}
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif name.endswith("_id"):  # domain_id, consent_id: integer converters
            values[name] = 1
        elif isinstance(rule._converters.get(name), AnyConverter):  # <any(a, b):action>
            values[name] = sorted(rule._converters[name].items)[0]
        elif name == "filename":
            return None
        else:
            values[name] = "x"
    return rule.build(values)[1]


def state_snapshot():
    from advice.models import AdviceMessage, AdviceQuestion
    from api.models import ApiToken
    from events.models import Event, Registration
    from forum.models import Post, Thread
    from groups.models import Membership

    return (
        db.session.execute(select(Thread.id, Thread.is_locked, Thread.is_pinned, Thread.group_id,
                                  Thread.hidden_at).order_by(Thread.id)).all(),
        db.session.execute(select(Post.id, Post.body_source, Post.hidden_at, Post.deleted_at)
                           .order_by(Post.id)).all(),
        db.session.execute(select(Event.id, Event.status, Event.title).order_by(Event.id)).all(),
        db.session.execute(select(Registration.id, Registration.status, Registration.attended)
                           .order_by(Registration.id)).all(),
        db.session.execute(select(Membership.group_id, Membership.user_id, Membership.role,
                                  Membership.status).order_by(Membership.id)).all(),
        db.session.scalar(select(func.count(Post.id))),
        db.session.execute(select(AdviceQuestion.id, AdviceQuestion.status, AdviceQuestion.adviser_id,
                                  AdviceQuestion.partner_id, AdviceQuestion.rating,
                                  AdviceQuestion.faq_consent).order_by(AdviceQuestion.id)).all(),
        db.session.scalar(select(func.count(AdviceMessage.id))),
        db.session.execute(select(ApiToken.id, ApiToken.revoked_at).order_by(ApiToken.id)).all(),
    )  # fmt: skip


def test_a_member_without_rights_sees_and_changes_nothing_on_any_route(
    app, private_world, member_client
):
    client, _outsider = member_client
    app.config["RENDER_500_IN_TESTS"] = True
    before = state_snapshot()
    checked = 0
    for visibility, ids in private_world.items():
        for rule in app.url_map.iter_rules():
            path = build(rule, ids)
            if path is None or not set(rule.arguments) & set(ids):
                continue
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                if method == "GET":
                    response = client.get(path)
                else:
                    response = client.post(path, data=POST_FIELDS)
                checked += 1
                body = response.get_data(as_text=True)
                assert response.status_code < 500, f"{method} {path}"
                leaked = [marker for marker in SECRET_MARKERS if marker in body]
                assert not leaked, f"{method} {path} leaked {leaked} ({response.status_code})"
                if rule.endpoint == "groups.show_group" and visibility == "secret":
                    assert response.status_code == 404
    db.session.expire_all()
    assert state_snapshot() == before
    assert checked > 60


def test_secret_group_is_invisible_in_lists_and_search(app, private_world, member_client):
    client, _ = member_client
    for path in ("/groups", "/", "/events", "/search?q=Geheime", "/search?q=Intervisie"):
        body = client.get(path).get_data(as_text=True)
        assert "Privé secret" not in body, path
        assert not [marker for marker in SECRET_MARKERS if marker in body], path


def test_personal_calendar_feed_holds_only_what_its_owner_may_see(
    app, private_world, member_client
):
    client, outsider = member_client
    feed = client.get(f"/calendar/{outsider.calendar_token}.ics")
    assert feed.status_code == 200
    assert not [m for m in SECRET_MARKERS if m in feed.get_data(as_text=True)]
    insider_feed = client.get(f"/calendar/{private_world['closed']['real_token']}.ics")
    assert SECRET_MARKERS[0] in insider_feed.get_data(as_text=True)  # The token is the key.
    assert client.get("/calendar/not-a-token.ics").status_code == 404


# --- the JSON API answers to the same rules --------------------------------------------


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.v1.")]


def test_the_api_with_an_outsiders_token_or_none_sees_and_changes_nothing_private(
    app, private_world, make_user
):
    from api.services import create_token
    from notifications.models import Notification

    insider_id = private_world["closed"]["user_id"]
    db.session.add(Notification(user_id=insider_id, kind="reply", title=SECRET_MARKERS[0]))
    outsider = make_user(name="Buitenstaander")
    secret = create_token(outsider, "matrix", write=True, lifetime_days=30).secret
    db.session.commit()
    app.config["RENDER_500_IN_TESTS"] = True
    client = app.test_client()
    before = state_snapshot()
    checked = 0
    for headers in ({"Authorization": f"Bearer {secret}"}, {}):
        for ids in private_world.values():
            for rule in _api_rules(app):
                path = build(rule, ids)
                for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                    response = client.open(path, method=method, headers=headers)
                    checked += 1
                    body = response.get_data(as_text=True)
                    assert response.status_code < 500, f"{method} {path}"
                    leaked = [marker for marker in SECRET_MARKERS if marker in body]
                    assert not leaked, f"{method} {path} leaked {leaked} ({response.status_code})"
                    # A closed group's name and description are on its page for every
                    # member; everything inside it, and a secret group itself, is not.
                    shown_on_page = rule.endpoint == "api.v1.get_group" and headers
                    if set(rule.arguments) & set(ids) and not shown_on_page:
                        assert response.status_code in {401, 403, 404}, f"{method} {path}"
                    if rule.endpoint == "api.v1.get_group" and "secret" in path:
                        assert response.status_code == 404
    db.session.expire_all()
    assert state_snapshot() == before
    assert checked > 40


def test_the_api_never_returns_what_the_page_refuses(app, private_world, make_user, login):
    """Per object and viewer, the page and the API agree; the insider proves the API
    is not simply refusing everything."""
    from api.services import create_token
    from auth.models import User

    insider = db.session.get(User, private_world["closed"]["user_id"])
    outsider = make_user(name="Buitenstaander")
    viewers = {}
    for name, user in (("insider", insider), ("outsider", outsider)):
        page_client = app.test_client()
        login(page_client, user)
        viewers[name] = (page_client, user)
    for name, (page_client, user) in list(viewers.items()):
        secret = create_token(user, "matrix", write=False, lifetime_days=30).secret
        viewers[name] = (page_client, {"Authorization": f"Bearer {secret}"})
    db.session.commit()
    viewers["visitor"] = (app.test_client(), {})
    api = app.test_client()
    compared = 0
    for ids in private_world.values():
        pairs = [
            (f"/threads/{ids['thread_id']}", f"/api/v1/threads/{ids['thread_id']}"),
            (f"/threads/{ids['thread_id']}", f"/api/v1/threads/{ids['thread_id']}/posts"),
            (f"/events/{ids['event_id']}", f"/api/v1/events/{ids['event_id']}"),
            (f"/groups/{ids['slug']}", f"/api/v1/groups/{ids['slug']}"),
        ]
        for name, (page_client, headers) in viewers.items():
            for page_url, api_url in pairs:
                page_ok = page_client.get(page_url).status_code == 200
                api_ok = api.get(api_url, headers=headers).status_code == 200
                assert api_ok <= page_ok, f"{name}: {api_url} answers but {page_url} refuses"
                if name == "insider":
                    assert (api_ok, page_ok) == (True, True), f"insider refused {api_url}"
                compared += 1
        listed = api.get("/api/v1/events", headers=viewers["insider"][1]).get_data(as_text=True)
        assert SECRET_MARKERS[0] in listed  # The insider's list does show the closed group.
    for name, (_client, headers) in viewers.items():
        for path in ("/api/v1/events", "/api/v1/groups", "/api/v1/notifications",
                     "/api/v1/events?when=past"):  # fmt: skip
            body = api.get(path, headers=headers).get_data(as_text=True)
            if name != "insider":
                assert not [m for m in SECRET_MARKERS if m in body], f"{name} {path}"
            assert "Privé secret" not in body or name == "insider", f"{name} {path}"
    assert compared == 24


# --- the kennisbank: members-only items and drafts, page against API -------------------

MEMBERS_ONLY_TITLE, DRAFT_TITLE = "Ledencasus draaiboek 5120", "Conceptnotitie werving 6631"


@pytest.fixture
def kennisbank_items(app, make_user):
    from tests.factories import make_knowledge_item

    writer, reviewer = (
        make_user("Redacteur A", role="editor"),
        make_user("Redacteur B", role="editor"),
    )

    def item(title, status="published", **fields):
        return make_knowledge_item(writer, status=status, reviewer=reviewer, title=title, **fields)

    return {
        "editor": reviewer,
        "items": {
            "public": item("Openbare handreiking scholen"),
            "members_only": item(MEMBERS_ONLY_TITLE, is_members_only=True),
            "draft": item(DRAFT_TITLE, status="draft"),
            "review": item("Ter controle achtergrond 7742", status="review"),
        },
    }


def test_the_kennisbank_api_never_returns_what_the_page_refuses(
    app, kennisbank_items, make_user, login
):
    """A visitor and an outsider's token against the pages: a members-only item only for
    members, a draft (or an item in review) never; an editor's page shows drafts, the API
    still does not."""
    from api.services import create_token

    people = {"outsider": make_user(name="Buitenstaander"), "editor": kennisbank_items["editor"]}
    viewers = {"visitor": (app.test_client(), {})}
    page_clients = {}
    for name, user in people.items():
        page_clients[name] = app.test_client()
        login(page_clients[name], user)
    for name, user in people.items():
        secret = create_token(user, "matrix", write=False, lifetime_days=30).secret
        viewers[name] = (page_clients[name], {"Authorization": f"Bearer {secret}"})
    db.session.commit()
    api = app.test_client()
    expected_api = {  # (visitor, outsider, editor)
        "public": (True, True, True),
        "members_only": (False, True, True),
        "draft": (False, False, False),
        "review": (False, False, False),
    }
    for which, item in kennisbank_items["items"].items():
        for (name, (page_client, headers)), expected in zip(
            viewers.items(), expected_api[which], strict=True
        ):
            page = page_client.get(f"/kennisbank/{item.slug}")
            answer = api.get(f"/api/v1/kennisbank/{item.slug}", headers=headers)
            api_ok, page_ok = answer.status_code == 200, page.status_code == 200
            assert api_ok <= page_ok, f"{name}: the API answers {which} but the page refuses"
            assert api_ok == expected, f"{name}: {which} ({answer.status_code})"
            if not api_ok:
                assert answer.status_code == 404, f"{name}: {which}"
                assert item.title not in answer.get_data(as_text=True)
            if not page_ok:
                assert page.status_code == 404, f"{name}: {which} page"
    for name, (page_client, headers) in viewers.items():
        page = page_client.get("/kennisbank").get_data(as_text=True)
        listed = api.get("/api/v1/kennisbank", headers=headers).get_data(as_text=True)
        assert "Openbare handreiking scholen" in listed, name
        assert "Openbare handreiking scholen" in page, name
        assert (MEMBERS_ONLY_TITLE in listed) == (MEMBERS_ONLY_TITLE in page) == (name != "visitor")
        assert DRAFT_TITLE not in listed, name
        assert "Ter controle achtergrond 7742" not in listed, name
        searched = api.get("/api/v1/kennisbank?q=Conceptnotitie", headers=headers).get_json()
        assert searched["items"] == [], name
