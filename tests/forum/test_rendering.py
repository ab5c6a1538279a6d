"""The thread page's post fragments (forum.rendering): cached by content, so an edited,
hidden or deleted post never shows its old text; viewers in different situations never
share a fragment; a GET writes the read position only when it moves; statements stay
within eight whatever the size of the thread."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.extensions import db
from forum import services
from forum.models import ThreadRead
from forum.rendering import CSRF_PLACEHOLDER, fragment_cache
from moderation import services as moderation
from tests.conftest import count_queries
from tests.forum.test_queries import add_replies
from tests.forum.test_views import closed  # noqa: F401 - the fixture


def page(client, thread) -> str:
    response = client.get(f"/threads/{thread.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def conversation(closed, post_thread, post_reply):  # noqa: F811 - the fixture above
    group, people, clients = closed
    thread = post_thread(group, people["a"], body="De openingsvraag.", kind="question")
    reply = post_reply(thread, people["b"], body="Eerste versie van het antwoord.")
    return thread, reply, people, clients


def test_a_fragment_is_rendered_once_and_then_served_from_the_cache(app, conversation):
    thread, _reply, _people, clients = conversation
    cache = fragment_cache(app)
    page(clients["a"], thread)
    misses = cache.misses
    page(clients["a"], thread)
    assert cache.misses == misses
    assert cache.hits >= 2


def test_an_edited_post_never_shows_its_old_text(app, conversation):
    thread, reply, people, clients = conversation
    assert "Eerste versie" in page(clients["a"], thread)
    services.edit_post(reply, people["b"], body="Tweede versie, verbeterd.")
    db.session.commit()
    for viewer in ("a", "b", "k"):
        html = page(clients[viewer], thread)
        assert "Tweede versie, verbeterd." in html
        assert "Eerste versie" not in html


def test_a_hidden_post_loses_its_text_for_members_but_not_for_its_author(app, conversation):
    thread, reply, people, clients = conversation
    for viewer in ("a", "b", "k"):
        assert "Eerste versie" in page(clients[viewer], thread)
    moderation.hide_post(reply, people["k"], "Herleidbaar")
    db.session.commit()
    html = page(clients["a"], thread)
    assert "Eerste versie" not in html
    assert "Dit bericht is verborgen door moderatie." in html
    own = page(clients["b"], thread)
    assert "Eerste versie" in own
    assert "Alleen jij en de moderatoren zien de tekst." in own
    assert "Eerste versie" in page(clients["k"], thread)


def test_a_deleted_post_loses_its_text_for_everyone(app, conversation):
    thread, reply, people, clients = conversation
    page(clients["a"], thread)
    services.delete_post(reply, people["b"])
    db.session.commit()
    for viewer in ("a", "b", "k"):
        html = page(clients[viewer], thread)
        assert "Eerste versie" not in html
        assert "Dit bericht is verwijderd." in html


def test_reactions_show_for_whom_they_are_and_counts_follow(app, conversation):
    thread, reply, people, clients = conversation
    page(clients["a"], thread)
    services.toggle_reaction(reply, people["a"], "useful")
    db.session.commit()
    mine = page(clients["a"], thread)
    other = page(clients["k"], thread)
    assert re.search(r'aria-pressed="true">Nuttig <span class="reaction-count">1</span>', mine)
    assert 'aria-pressed="true"' not in other
    assert re.search(r'aria-pressed="false">Nuttig <span class="reaction-count">1</span>', other)


def test_only_the_author_gets_edit_and_delete_and_only_moderators_moderate(app, conversation):
    thread, reply, _people, clients = conversation
    edit = f'href="/posts/{reply.id}/edit"'
    by_author, by_asker, by_coordinator = (page(clients[k], thread) for k in ("b", "a", "k"))
    assert edit in by_author
    assert edit not in by_asker
    assert edit not in by_coordinator
    assert f"/moderation/posts/{reply.id}" in by_coordinator
    assert f"/moderation/posts/{reply.id}" not in by_asker
    # The asker may accept the answer; the author of the reply may not.
    accept = f'action="/posts/{reply.id}/accept"'
    assert accept in by_asker
    assert accept not in by_author


def test_every_form_carries_the_viewers_own_csrf_token(app, conversation):
    thread, _reply, _people, clients = conversation
    html_a, html_k = page(clients["a"], thread), page(clients["k"], thread)
    assert CSRF_PLACEHOLDER not in html_a
    tokens_a = set(re.findall(r'name="csrf_token" value="([^"]+)"', html_a))
    tokens_k = set(re.findall(r'name="csrf_token" value="([^"]+)"', html_k))
    assert len(tokens_a) == len(tokens_k) == 1
    assert tokens_a != tokens_k
    # A reaction with the token from the (cached) fragment is accepted.
    react = re.search(r'action="(/posts/\d+/react)"', html_a).group(1)
    response = clients["a"].post(react, data={"csrf_token": tokens_a.pop(), "kind": "useful"})
    assert response.status_code == 302


def test_a_get_writes_the_read_position_only_when_it_moves(app, conversation, post_reply):
    thread, _reply, people, clients = conversation

    def writes() -> list[str]:
        with count_queries() as counter:
            page(clients["a"], thread)
        return [
            s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))
        ]

    assert len(writes()) == 1  # the first visit
    assert writes() == []
    assert writes() == []
    newer = post_reply(thread, people["b"], body="Nog een reactie.")
    assert len(writes()) == 1
    assert writes() == []
    read = db.session.scalar(
        select(ThreadRead).where(
            ThreadRead.thread_id == thread.id, ThreadRead.user_id == people["a"].id
        )
    )
    assert read.last_read_post_id == newer.id


def visit_count(client, thread) -> int:
    page(client, thread)  # the first visit writes the read position
    with count_queries() as counter:
        page(client, thread)
    return counter.count


def test_the_thread_page_runs_at_most_eight_statements_whatever_its_size(
    app,
    closed,  # noqa: F811 - the fixture imported above
    post_thread,
    make_user,
):
    group, people, clients = closed
    authors = [people["b"], *(make_user(sector="wijkteam") for _ in range(5))]
    small = post_thread(group, people["a"])
    add_replies(small, authors, 5)
    big = post_thread(group, people["a"], kind="question")
    replies = add_replies(big, authors, 120)
    services.accept_answer(big, replies[100], people["a"])
    db.session.commit()
    for viewer in ("a", "k"):  # a member, and a coordinator (who may move threads)
        counts = {visit_count(clients[viewer], small), visit_count(clients[viewer], big)}
        assert len(counts) == 1, counts
        assert counts.pop() <= 8
