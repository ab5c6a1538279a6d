"""`[[kennisbank:slug]]` and bare links in posts and events: cards and references."""

from __future__ import annotations

import pytest

from core.extensions import db
from knowledge.queries import references_for
from tests.factories import join, make_group, post_reply, post_thread
from tests.knowledge.conftest import signed_in_client


@pytest.fixture
def item(editors, make_knowledge_item):
    anna, bram, _admin = editors
    return make_knowledge_item(
        anna, title="Gesprekskaart complotdenken", kind="instrument", status="published",
        reviewer=bram,
    )  # fmt: skip


def test_a_token_in_a_post_renders_as_a_card_with_title_and_kind(app, make_user, item):
    member = make_user()
    group = make_group()
    join(group, member)
    thread = post_thread(group, member, body=f"Zie [[kennisbank:{item.slug}]] voor tips.")
    html = thread.first_post.body_html
    assert 'class="knowledge-card"' in html
    assert f'href="/kennisbank/{item.slug}"' in html
    assert "Gesprekskaart complotdenken" in html
    assert "Instrument" in html


def test_a_bare_link_to_the_item_renders_as_a_card_too(app, make_user, item):
    member = make_user()
    group = make_group()
    join(group, member)
    base = app.config["BASE_URL"]
    thread = post_thread(group, member, body=f"Kijk hier: {base}/kennisbank/{item.slug}")
    assert 'class="knowledge-card"' in thread.first_post.body_html


def test_a_link_to_another_site_or_in_code_stays_as_written(app, make_user, item):
    member = make_user()
    group = make_group()
    join(group, member)
    thread = post_thread(
        group,
        member,
        body=f"https://elders.example/kennisbank/{item.slug} en `[[kennisbank:{item.slug}]]`",
    )
    assert "knowledge-card" not in thread.first_post.body_html


def test_a_token_for_a_draft_or_unknown_item_stays_text(
    app, make_user, editors, make_knowledge_item
):
    anna, _bram, _admin = editors
    draft = make_knowledge_item(anna, title="Geheim concept")
    member = make_user()
    group = make_group()
    join(group, member)
    thread = post_thread(
        group, member, body=f"[[kennisbank:{draft.slug}]] en [[kennisbank:bestaat-niet]]"
    )
    assert "Geheim concept" not in thread.first_post.body_html
    assert "[[kennisbank:bestaat-niet]]" in thread.first_post.body_html


def test_the_item_shows_the_threads_that_link_to_it_to_those_who_may_read_them(
    app, make_user, item
):
    member, outsider = make_user(), make_user()
    closed = make_group("Besloten", visibility="closed")
    join(closed, member)
    thread = post_thread(closed, member, title="Ons gesprek over de kaart", body="Hallo")
    post_reply(thread, member, body=f"Zie [[kennisbank:{item.slug}]]")
    assert [r.title for r in references_for(member, item)] == ["Ons gesprek over de kaart"]
    assert references_for(outsider, item) == []
    page = signed_in_client(app, member).get(f"/kennisbank/{item.slug}").get_data(as_text=True)
    assert "Ons gesprek over de kaart" in page
    page = app.test_client().get(f"/kennisbank/{item.slug}").get_data(as_text=True)
    assert "Ons gesprek over de kaart" not in page


def test_editing_the_link_away_removes_the_reference(app, make_user, item):
    from forum.services import edit_post

    member = make_user()
    group = make_group()
    join(group, member)
    thread = post_thread(group, member, body=f"[[kennisbank:{item.slug}]]")
    assert len(references_for(member, item)) == 1
    edit_post(thread.first_post, member, body="Toch niet.")
    db.session.commit()
    assert references_for(member, item) == []


def test_an_event_description_links_to_the_item(app, make_user, item):
    from datetime import timedelta

    from core.db import utcnow
    from events import services as event_services

    coordinator = make_user()
    group = make_group()
    join(group, coordinator, role="coordinator")
    start = utcnow() + timedelta(days=7)
    event = event_services.create_event(
        group,
        event_services.EventData(
            title="Werkatelier complotdenken",
            description=f"We oefenen met [[kennisbank:{item.slug}]].",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        ),
        coordinator,
    )
    db.session.commit()
    assert "knowledge-card" in event.description_html
    assert [r.title for r in references_for(coordinator, item)] == ["Werkatelier complotdenken"]


def test_a_new_post_without_links_reads_no_references_and_a_later_link_counts(app, make_user, item):
    from forum.services import edit_post
    from tests.conftest import count_queries

    member = make_user()
    group = make_group()
    join(group, member)
    thread = post_thread(group, member, body="Eerst zonder link.")
    with count_queries() as counter:
        reply = post_reply(thread, member, body="Ook zonder link.")
    assert not any("knowledge_references" in s for s in counter.statements)
    edit_post(reply, member, body=f"Nu met [[kennisbank:{item.slug}]]")
    db.session.commit()
    assert len(references_for(member, item)) == 1
