"""Forum pages and actions through the test client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from core.db import utcnow
from core.extensions import db
from forum import services
from forum.models import Post, PostRevision, Thread, ThreadRead, ThreadWatch
from tests.conftest import count_queries
from tests.forum.conftest import LazyClients
from tests.forum.test_queries import add_replies

BSN_WITH_KEYWORD = "Het BSN van de jongere is 111222333."
PHONE = "Bel de moeder op 06-12345678."


@pytest.fixture
def closed(app, make_user, make_group, join):
    """A closed group with asker A (onderwijs), helper B (politie), coordinator K and
    outsider C (not a member), each with a logged-in client."""
    group = make_group("Casusoverleg Oost", visibility="closed")
    people = {
        "a": make_user("Anna de Vries", sector="onderwijs"),
        "b": make_user("Bram Jansen", sector="politie"),
        "k": make_user("Karin Coördinator", sector="gemeente-oov"),
        "c": make_user("Carla Smit", sector="jeugdhulp"),
    }
    join(group, people["a"])
    join(group, people["b"])
    join(group, people["k"], role="coordinator")
    return group, people, LazyClients(app, people)


def new_thread_form(**fields):
    data = {
        "title": "Hoe bespreek ik dit met ouders?",
        "body": "Wat is wijsheid?",
        "kind": "question",
    }
    data.update(fields)
    return data


def test_new_thread_form_offers_the_case_template_with_and_without_javascript(closed):
    group, _people, clients = closed
    page = clients["a"].get(f"/groups/{group.slug}/threads/new").get_data(as_text=True)
    assert 'id="case-template"' in page
    assert 'data-insert-template="case-template"' in page
    assert f'href="/groups/{group.slug}/threads/new?template=1"' in page
    prefilled = (
        clients["a"].get(f"/groups/{group.slug}/threads/new?template=1").get_data(as_text=True)
    )
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", prefilled, re.DOTALL).group(1)
    for heading in (
        "Situatie",
        "Waargenomen feiten",
        "Tegensignalen",
        "Mijn vraag",
        "Wat heb ik al gedaan",
    ):
        assert heading in body
    assert 'value="question" checked' in prefilled or 'checked id="kind-1"' in prefilled


def test_starting_a_thread_saves_it_with_tags_and_redirects(closed):
    group, people, clients = closed
    response = clients["a"].post(
        f"/groups/{group.slug}/threads/new", data=new_thread_form(tags=["1", "3"])
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"] == f"/threads/{thread.id}"
    assert thread.author_id == people["a"].id
    assert thread.is_question
    assert sorted(t.id for t in thread.tags) == [1, 3]


def test_a_title_with_a_right_to_left_override_is_saved_without_it(closed):
    group, _people, clients = closed
    form = new_thread_form(title="Verslag \u202efdp.exe\u2066", body="Tekst \u202eomgekeerd")
    assert clients["a"].post(f"/groups/{group.slug}/threads/new", data=form).status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread.title == "Verslag fdp.exe"
    assert thread.first_post.body_source == "Tekst \u202eomgekeerd\u202c"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Kort"}, "5 tot 150 tekens"),
        ({"title": "x" * 151}, "5 tot 150 tekens"),
        ({"body": ""}, "Schrijf een tekst."),
        ({"body": "x" * 20_001}, "Maximaal 20000 tekens."),
        ({"kind": "poll"}, "Soort"),
        ({"tags": ["99999"]}, "Onderwerpen"),
    ],
)
def test_invalid_thread_input_is_explained_and_kept(closed, fields, message):
    group, _people, clients = closed
    response = clients["a"].post(
        f"/groups/{group.slug}/threads/new", data=new_thread_form(**fields)
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Wat is wijsheid?" in page or fields.get("body") is not None
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_a_blocked_text_cannot_be_saved_and_is_shown_highlighted(closed):
    group, _people, clients = closed
    response = clients["a"].post(
        f"/groups/{group.slug}/threads/new",
        data=new_thread_form(body=BSN_WITH_KEYWORD, privacy_checked="y"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert "burgerservicenummer (BSN)" in page
    assert '<mark class="privacy-finding" data-kind="bsn">111222333</mark>' in page
    assert 'name="privacy_checked"' not in page  # a block has no override
    assert BSN_WITH_KEYWORD in page  # the text is kept in the form
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_a_warning_can_be_overridden_by_ticking_the_check(closed):
    group, _people, clients = closed
    url = f"/groups/{group.slug}/threads/new"
    first = clients["a"].post(url, data=new_thread_form(body=PHONE))
    page = first.get_data(as_text=True)
    assert first.status_code == 422
    assert "telefoonnummer" in page
    assert "Ik heb gecontroleerd dat dit niet herleidbaar is" in page
    assert '<mark class="privacy-finding" data-kind="phone">' in page
    second = clients["a"].post(url, data=new_thread_form(body=PHONE, privacy_checked="y"))
    assert second.status_code == 302
    assert db.session.scalar(select(Thread)).first_post.privacy_override is True


def test_replies_and_edits_pass_the_privacy_guard(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    response = clients["b"].post(f"/threads/{thread.id}/reply", data={"body": BSN_WITH_KEYWORD})
    assert response.status_code == 422
    assert "<mark" in response.get_data(as_text=True)
    post = post_reply(thread, people["b"], body="Schoon")
    response = clients["b"].post(f"/posts/{post.id}/edit", data={"body": PHONE})
    assert response.status_code == 422
    assert 'name="privacy_checked"' in response.get_data(as_text=True)
    response = clients["b"].post(
        f"/posts/{post.id}/edit", data={"body": PHONE, "privacy_checked": "y"}
    )
    assert response.status_code == 302


def test_posting_too_quickly_gets_a_friendly_message_and_keeps_the_text(app, closed, post_thread):
    group, people, clients = closed
    app.config.update(POST_MIN_INTERVAL_SECONDS=15, NEW_MEMBER_POST_MIN_INTERVAL_SECONDS=60)
    thread = post_thread(group, people["b"])  # sets B's last_post_at to now
    response = clients["b"].post(f"/threads/{thread.id}/reply", data={"body": "Nog een gedachte"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Wacht nog" in page
    assert "seconden" in page
    assert "Nog een gedachte" in page
    people["b"].last_post_at = utcnow().replace(year=2020)
    db.session.commit()
    assert (
        clients["b"].post(f"/threads/{thread.id}/reply", data={"body": "Nu wel"}).status_code == 302
    )


def test_the_thread_page_shows_the_conversation(closed, post_thread, post_reply, make_user):
    group, people, clients = closed
    a, b, k = people["a"], people["b"], people["k"]
    thread = post_thread(group, a, kind="question", body="Openingsvraag")
    top = post_reply(thread, b, body="Eerste antwoord")
    level2 = post_reply(thread, a, body="Vervolgvraag", parent=top)
    level3 = post_reply(thread, b, body="Derde niveau", parent=level2)
    level4 = post_reply(thread, k, body="Vierde niveau", parent=level3)
    edited = post_reply(thread, k, body="Oud")
    services.edit_post(edited, k, body="Nieuw")
    deleted = post_reply(thread, b, body="Weg ermee")
    services.delete_post(deleted, b)
    hidden = post_reply(thread, b, body="Te persoonlijk")
    hidden.hidden_at, hidden.hidden_reason = utcnow(), "Bevat herleidbare details"
    former = make_user("Vroeger Lid", sector="sport")
    group_member = post_reply(thread, a, body="Van een oud-lid")
    group_member.author_id = former.id
    former.status = "deleted"
    services.accept_answer(thread, top, a)
    db.session.commit()

    page = clients["a"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Sectoren in dit gesprek" in page
    for sector in ("Onderwijs", "Politie"):
        assert sector in page
    assert page.count('class="badge badge-sector"') >= 4
    assert f'<a class="author" href="/members/{b.id}">Bram Jansen</a>' in page
    for post in (top, level2, level3, level4, edited, deleted, hidden):
        assert f'id="post-{post.id}"' in page
    assert "in reactie op Bram Jansen" in page
    assert "bewerkt" in page
    assert "Nieuw" in page
    assert "Dit bericht is verwijderd." in page
    assert "Weg ermee" not in page
    assert "verborgen door moderatie" in page
    assert "Te persoonlijk" not in page
    assert "Oud-lid" in page
    assert "Vroeger Lid" not in page
    assert 'id="accepted-answer"' in page
    assert "Geaccepteerd antwoord" in page

    own_view = clients["b"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Te persoonlijk" in own_view
    assert "Bevat herleidbare details" in own_view


def test_viewing_marks_read_and_offers_a_jump_to_the_first_unread(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    clients["b"].get(f"/threads/{thread.id}")
    reply = post_reply(thread, people["a"], body="Nieuw sinds je bezoek")
    page = clients["b"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert 'href="#first-unread"' in page
    pattern = r'id="first-unread"></span>\s*<article[^>]*id="post-' + str(reply.id) + '"'
    assert re.search(pattern, page)
    db.session.expire_all()
    read = db.session.scalar(select(ThreadRead).where(ThreadRead.user_id == people["b"].id))
    assert read.last_read_post_id == reply.id
    assert 'href="#first-unread"' not in clients["b"].get(f"/threads/{thread.id}").get_data(
        as_text=True
    )


def test_replies_are_paginated_and_a_post_link_lands_on_its_page(closed, post_thread):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    posts = add_replies(thread, [people["b"]], 25, nested_every=1000)
    page1 = clients["a"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f'id="post-{posts[19].id}"' in page1
    assert f'id="post-{posts[20].id}"' not in page1
    assert f'href="/threads/{thread.id}?page=2"' in page1
    page2 = clients["a"].get(f"/threads/{thread.id}?page=2").get_data(as_text=True)
    assert f'id="post-{posts[24].id}"' in page2
    assert clients["a"].get(f"/threads/{thread.id}?page=3").status_code == 404
    response = clients["a"].get(f"/posts/{posts[22].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/threads/{thread.id}?page=2#post-{posts[22].id}"


def test_a_nested_reply_through_the_form_lands_under_its_parent(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    parent = post_reply(thread, people["b"])
    form = (
        clients["a"].get(f"/threads/{thread.id}/reply?parent_id={parent.id}").get_data(as_text=True)
    )
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in form
    response = clients["a"].post(
        f"/threads/{thread.id}/reply",
        data={"body": "Daar sluit ik bij aan", "parent_id": str(parent.id)},
    )
    assert response.status_code == 302
    reply = db.session.scalar(select(Post).where(Post.body_source == "Daar sluit ik bij aan"))
    assert reply.parent_id == parent.id
    assert reply.depth == 2
    assert response.headers["Location"].endswith(f"#post-{reply.id}")


def test_quoting_prefills_the_reply_box(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    post = post_reply(thread, people["b"], body="Regel een\nRegel twee")
    page = clients["a"].get(f"/posts/{post.id}/quote").get_data(as_text=True)
    assert "Bram Jansen schreef:\n&gt; Regel een\n&gt; Regel twee" in page
    assert f'value="{post.id}"' in page


def test_editing_shows_the_old_text_and_coordinators_see_the_history(
    closed, post_thread, post_reply
):
    group, people, clients = closed
    post = post_reply(post_thread(group, people["a"]), people["b"], body="Eerste versie")
    assert "Eerste versie" in clients["b"].get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert clients["a"].get(f"/posts/{post.id}/edit").status_code == 403
    response = clients["b"].post(f"/posts/{post.id}/edit", data={"body": "Tweede versie"})
    assert response.status_code == 302
    assert db.session.scalar(select(PostRevision.body_source)) == "Eerste versie"
    history = clients["k"].get(f"/posts/{post.id}/history")
    assert history.status_code == 200
    assert "Eerste versie" in history.get_data(as_text=True)
    assert clients["a"].get(f"/posts/{post.id}/history").status_code == 403
    assert clients["b"].get(f"/posts/{post.id}/history").status_code == 403


def test_reacting_accepting_and_deleting(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"], kind="question")
    post = post_reply(thread, people["b"])
    assert clients["a"].post(f"/posts/{post.id}/react", data={"kind": "useful"}).status_code == 302
    assert clients["a"].post(f"/posts/{post.id}/react", data={"kind": "bogus"}).status_code == 400
    assert clients["b"].post(f"/posts/{post.id}/react", data={"kind": "useful"}).status_code == 403
    assert clients["b"].post(f"/posts/{post.id}/accept").status_code == 403
    assert clients["a"].post(f"/posts/{post.id}/accept").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).useful_count == 1
    assert db.session.get(Thread, thread.id).accepted_post_id == post.id
    assert clients["a"].post(f"/posts/{post.id}/delete").status_code == 403
    assert clients["b"].post(f"/posts/{post.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is not None


def _reaction_buttons(page: str) -> list[str]:
    return re.findall(r'<button type="submit" class="reaction"[^>]*>.*?</button>', page, re.DOTALL)


def test_reactions_are_quiet_until_used_and_show_no_count_at_zero(closed, make_thread, make_reply):
    group, people, clients = closed
    thread = make_thread(group, people["a"])
    post = make_reply(thread, people["b"])
    page = clients["a"].get(f"/threads/{thread.id}").get_data(as_text=True)
    buttons = _reaction_buttons(page)
    assert buttons
    assert not any("reaction-count" in b or "button" in b.split('"')[3] for b in buttons)
    assert all('aria-pressed="false"' in b for b in buttons)
    clients["a"].post(f"/posts/{post.id}/react", data={"kind": "useful"})
    page = clients["a"].get(f"/threads/{thread.id}").get_data(as_text=True)
    pressed = [b for b in _reaction_buttons(page) if 'aria-pressed="true"' in b]
    assert len(pressed) == 1
    assert re.search(r'Nuttig <span class="reaction-count">1</span>', pressed[0])


def test_deleting_a_post_is_styled_as_a_destructive_action(closed, make_thread, make_reply):
    group, people, clients = closed
    thread = make_thread(group, people["a"])
    make_reply(thread, people["b"])
    page = clients["b"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert re.search(r'class="link-button link-danger"[^>]*>Verwijder<', page)


def test_the_required_marker_shares_the_line_of_its_label(closed):
    group, _people, clients = closed
    page = clients["a"].get(f"/groups/{group.slug}/threads/new").get_data(as_text=True)
    assert re.search(
        r'<div class="label-line"><label for="title">Titel</label> '
        r'<span class="required" aria-hidden="true">\*</span></div>',
        page,
    )


def test_coordinators_pin_lock_and_move_and_locked_threads_take_no_replies(
    closed, post_thread, make_group, join
):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    assert clients["a"].post(f"/threads/{thread.id}/pin").status_code == 403
    assert clients["k"].post(f"/threads/{thread.id}/pin").status_code == 302
    assert clients["k"].post(f"/threads/{thread.id}/lock").status_code == 302
    response = clients["b"].post(f"/threads/{thread.id}/reply", data={"body": "Nog iets"})
    assert response.status_code == 403
    assert "gesloten" in response.get_data(as_text=True)
    managed, unmanaged = make_group("Ander overleg"), make_group("Niet van mij")
    join(managed, people["k"], role="coordinator")
    # The thread page links to the move page, which offers only groups K manages.
    page = clients["k"].get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f'href="/threads/{thread.id}/move"' in page
    assert f'href="/threads/{thread.id}/move"' not in clients["a"].get(
        f"/threads/{thread.id}"
    ).get_data(as_text=True)
    assert clients["a"].get(f"/threads/{thread.id}/move").status_code == 403
    move_page = clients["k"].get(f"/threads/{thread.id}/move").get_data(as_text=True)
    assert "Ander overleg" in move_page
    assert "Niet van mij" not in move_page
    assert (
        clients["k"].post(f"/threads/{thread.id}/move", data={"group_id": unmanaged.id}).status_code
        == 403
    )
    assert (
        clients["k"].post(f"/threads/{thread.id}/move", data={"group_id": managed.id}).status_code
        == 302
    )
    db.session.expire_all()
    moved = db.session.get(Thread, thread.id)
    assert (moved.is_pinned, moved.is_locked, moved.group_id) == (True, True, managed.id)


def test_watching_and_muting_a_thread(closed, post_thread):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    assert (
        clients["b"].post(f"/threads/{thread.id}/watch", data={"level": "mute"}).status_code == 302
    )
    assert (
        clients["b"].post(f"/threads/{thread.id}/watch", data={"level": "loud"}).status_code == 400
    )
    level = db.session.scalar(
        select(ThreadWatch.level).where(ThreadWatch.user_id == people["b"].id)
    )
    assert level == "mute"


def test_every_url_of_a_closed_groups_thread_is_404_for_outsiders(closed, post_thread, post_reply):
    group, people, clients = closed
    thread = post_thread(group, people["a"], kind="question")
    post = post_reply(thread, people["b"])
    outsider = clients["c"]
    gets = [
        f"/threads/{thread.id}",
        f"/threads/{thread.id}/reply",
        f"/posts/{post.id}",
        f"/posts/{post.id}/edit",
        f"/posts/{post.id}/quote",
        f"/posts/{post.id}/history",
        f"/posts/{post.id}/report",
        f"/groups/{group.slug}/threads/new",
    ]
    posts = [
        (f"/threads/{thread.id}/reply", {"body": "Hallo"}),
        (f"/posts/{post.id}/edit", {"body": "Hallo"}),
        (f"/posts/{post.id}/delete", {}),
        (f"/posts/{post.id}/react", {"kind": "useful"}),
        (f"/posts/{post.id}/accept", {}),
        (f"/posts/{post.id}/report", {"reason": "overig", "note": "x"}),
        (f"/threads/{thread.id}/pin", {}),
        (f"/threads/{thread.id}/lock", {}),
        (f"/threads/{thread.id}/move", {"group_id": group.id}),
        (f"/threads/{thread.id}/watch", {"level": "watch"}),
    ]
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    for url, data in posts:
        assert outsider.post(url, data=data).status_code == 404, url


def test_hidden_threads_are_404_except_for_moderators(closed, post_thread):
    group, people, clients = closed
    thread = post_thread(group, people["a"])
    thread.hidden_at = utcnow()
    db.session.commit()
    assert clients["a"].get(f"/threads/{thread.id}").status_code == 404
    assert clients["b"].get(f"/threads/{thread.id}").status_code == 404
    assert clients["k"].get(f"/threads/{thread.id}").status_code == 200


def test_visitors_are_sent_to_the_login(client, closed, post_thread):
    group, people, _clients = closed
    thread = post_thread(group, people["a"])
    response = client.get(f"/threads/{thread.id}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def thread_page_queries(client, thread_id: int) -> int:
    client.get(f"/threads/{thread_id}")  # first visit inserts the read marker
    with count_queries() as counter:
        assert client.get(f"/threads/{thread_id}").status_code == 200
    return counter.count


def test_the_thread_page_runs_a_constant_number_of_queries(closed, post_thread, make_user):
    group, people, clients = closed
    authors = [people["b"], *(make_user(sector="wijkteam") for _ in range(5))]
    small = post_thread(group, people["a"])
    add_replies(small, authors, 10)
    big = post_thread(group, people["a"])
    add_replies(big, authors, 200)
    small_count = thread_page_queries(clients["a"], small.id)
    big_count = thread_page_queries(clients["a"], big.id)
    assert small_count == big_count
    # The member (with the nav's figures), the thread with the viewer's membership and
    # state for the page, and the page's posts: three statements.
    assert small_count == 3
