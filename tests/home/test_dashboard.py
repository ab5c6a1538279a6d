"""The dashboard: unread counts that match the read state, thread lists scoped to what
the member reads on their own pages, labels in their language, and a small fixed number
of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Tag
from forum.listings import unread_threads_per_group
from forum.models import Post, ThreadRead
from groups.queries import my_group_ids
from home.queries import dashboard
from tests.conftest import count_queries
from tests.factories import join, make_group, make_thread, mark_read


def text(response) -> str:
    return response.get_data(as_text=True)


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start : page.index("</section>", start)]


def read_at(thread, user, *, when) -> None:
    """A read row without a post id: read at a time (as rows from before post ids)."""
    db.session.add(ThreadRead(thread_id=thread.id, user_id=user.id, last_read_at=when))
    db.session.commit()


def test_unread_counts_follow_every_kind_of_read_state(app, make_user):
    group, quiet = make_group(), make_group()
    invited = make_group(visibility="closed")
    me, author = make_user(), make_user()
    join(group, me)
    join(quiet, me)
    join(invited, me, status="invited")
    make_thread(group, author, title="Nooit geopend")  # unread
    read = make_thread(group, author, replies=2)
    mark_read(read, me)  # read up to its last post
    behind = make_thread(group, author, replies=2)
    first_reply = db.session.scalar(
        select(Post.id).where(Post.thread_id == behind.id, Post.depth == 1).order_by(Post.id)
    )
    mark_read(behind, me, up_to_post_id=first_reply)  # unread: a reply since
    old_read = make_thread(group, author, ago=timedelta(hours=1))
    read_at(old_read, me, when=utcnow() - timedelta(hours=2))  # unread: active since
    new_read = make_thread(group, author, ago=timedelta(hours=2))
    read_at(new_read, me, when=utcnow() - timedelta(hours=1))  # read
    make_thread(group, author, hidden=True)  # not counted
    make_thread(group, author, deleted=True)  # not counted
    mark_read(make_thread(quiet, author), me)
    make_thread(invited, author)  # not a member yet: no count

    with app.test_request_context():
        data = dashboard(me)
        reference = unread_threads_per_group(me, my_group_ids(me))
    assert data.unread == {group.id: 3}
    assert data.unread == reference


def test_the_badge_shows_unread_threads_only_for_groups_with_some(app, make_user, client_for):
    busy, quiet = make_group("Drukke groep"), make_group("Stille groep")
    me, author = make_user(), make_user()
    join(busy, me)
    join(quiet, me)
    make_thread(busy, author)
    make_thread(busy, author)
    mark_read(make_thread(quiet, author), me)
    groups = section(text(client_for(me).get("/")), "Mijn groepen")
    busy_item = groups[groups.index("Drukke groep") : groups.index("</li>", groups.index("Drukke"))]
    quiet_item = groups[
        groups.index("Stille groep") : groups.index("</li>", groups.index("Stille"))
    ]
    assert "2 nieuw" in busy_item
    assert "badge-unread" not in quiet_item


def test_recent_threads_come_from_my_groups_only(app, make_user, client_for):
    mine, other = make_group(), make_group()
    me, author = make_user(), make_user()
    join(mine, me)
    make_thread(mine, author, title="In mijn groep")
    make_thread(other, author, title="In een andere open groep")
    recent = section(text(client_for(me).get("/")), "Recente gesprekken")
    assert "In mijn groep" in recent
    assert "In een andere open groep" not in recent


def test_a_moderator_dashboard_leaves_out_closed_groups_they_are_not_in(app, make_user, client_for):
    closed = make_group(visibility="closed")
    moderator, author = make_user(role="moderator", sector="politie"), make_user(sector="politie")
    make_thread(closed, author, title="Besloten vraag", kind="question")
    make_thread(closed, author, title="Besloten gesprek")
    page = text(client_for(moderator).get("/"))
    assert "Besloten vraag" not in page
    assert "Besloten gesprek" not in page


def test_thread_lists_speak_the_members_language(app, make_user, client_for):
    group = make_group("Samenwerking", region=None)
    group.name_en = "Cooperation"
    db.session.commit()
    me = make_user(sector="politie")
    author = make_user(sector="jongerenwerk")
    join(group, me)
    tag = db.session.scalar(select(Tag).where(Tag.key == "polarisatie"))
    make_thread(group, author, title="Een gesprek", tags=[tag])
    client = client_for(me)

    dutch = section(text(client.get("/")), "Recente gesprekken")
    assert "Samenwerking</a>" in dutch
    assert 'badge-sector">Jeugd- en jongerenwerk' in dutch
    assert "laatste activiteit" in dutch
    assert ">Polarisatie<" in text(client.get(f"/groups/{group.slug}"))

    me.language = "en"
    db.session.commit()
    english = text(client.get("/"))
    assert "Cooperation</a>" in english
    assert 'badge-sector">Youth work' in english
    assert ">Polarisation<" in text(client.get(f"/groups/{group.slug}"))


def test_thread_and_member_links_are_the_routes_urls(app, make_user, client_for):
    from flask import url_for

    group = make_group()
    me, author = make_user(), make_user()
    join(group, me)
    thread = make_thread(group, author)
    page = text(client_for(me).get(f"/groups/{group.slug}"))
    with app.test_request_context():
        thread_url = url_for("forum.show_thread", thread_id=thread.id)
        member_url = url_for("auth.member_page", user_id=author.id)
    assert f'href="{thread_url}"' in page
    assert f'href="{member_url}"' in page


@pytest.mark.parametrize("threads", [2, 40])
def test_the_dashboard_runs_five_queries_whatever_the_data(app, make_user, client_for, threads):
    """The account, the member's groups with their counts, both thread lists, their
    events and the notifications badge."""
    me, author = make_user(sector="politie"), make_user(sector="politie")
    coordinated, other = make_group(), make_group()
    join(coordinated, me, role="coordinator")
    join(other, me)
    join(make_group(visibility="closed"), me, status="invited")
    for i in range(threads):
        thread = make_thread(
            (coordinated, other)[i % 2], author, kind=("question", "discussion")[i % 2],
            replies=i % 3, commit=False,
        )  # fmt: skip
        if i % 4 == 0:
            mark_read(thread, me, commit=False)
    db.session.commit()
    client = client_for(me)
    client.get("/")
    with count_queries() as counter:
        assert client.get("/").status_code == 200
    assert counter.count <= 5, counter.statements
