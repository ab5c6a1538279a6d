"""Forum read side: pages, the reply tree, unread counts and a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Sector, term_labels
from forum import queries, services
from forum.models import Post, Thread
from tests.conftest import count_queries


@pytest.fixture
def setting(make_user, make_group, join, post_thread):
    asker = make_user("Anna de Vries", sector="onderwijs")
    helper = make_user("Bram Jansen", sector="politie")
    group = make_group(visibility="closed")
    join(group, asker)
    join(group, helper)
    return post_thread(group, asker), asker, helper


def add_replies(thread: Thread, authors: list, count: int, *, nested_every: int = 3) -> list[Post]:
    """Insert `count` replies directly (fast): every `nested_every`-th one answers the
    previous top-level reply, so pages carry nested replies too."""
    now = utcnow()
    posts: list[Post] = []
    last_top: Post | None = None
    for n in range(count):
        author = authors[n % len(authors)]
        is_nested = last_top is not None and n % nested_every == 0
        post = Post(
            thread_id=thread.id,
            author_id=author.id,
            parent_id=last_top.id if is_nested else None,
            depth=2 if is_nested else 1,
            body_source=f"Reactie {n}",
            body_html=f"<p>Reactie {n}</p>",
            created_at=now + timedelta(seconds=n),
        )
        db.session.add(post)
        db.session.flush()
        if not is_nested:
            last_top = post
        posts.append(post)
    thread.reply_count = count
    thread.last_post_id = posts[-1].id
    db.session.commit()
    return posts


def test_posts_land_on_the_page_of_their_top_level_reply(setting):
    thread, asker, helper = setting
    posts = add_replies(thread, [helper], 60, nested_every=1000)
    nested = services.create_reply(thread, asker, body="Later antwoord", parent=posts[45])
    deeper = services.create_reply(thread, helper, body="Nog dieper", parent=nested)
    db.session.commit()
    assert queries.page_of_post(thread.first_post) == 1
    assert queries.page_of_post(posts[0]) == 1
    assert queries.page_of_post(posts[19]) == 1
    assert queries.page_of_post(posts[20]) == 2
    assert queries.page_of_post(posts[45]) == 3
    assert queries.page_of_post(deeper) == 3


def test_the_tree_indents_three_levels_and_lists_deeper_replies_flat(setting):
    thread, asker, helper = setting
    top = services.create_reply(thread, helper, body="1")
    level2 = services.create_reply(thread, asker, body="2", parent=top)
    level3 = services.create_reply(thread, helper, body="3", parent=level2)
    level4 = services.create_reply(thread, asker, body="4", parent=level3)
    level5 = services.create_reply(thread, helper, body="5", parent=level4)
    sibling = services.create_reply(thread, asker, body="2b", parent=top)
    db.session.commit()
    view = queries.thread_page(thread, asker)
    [node] = view.nodes
    assert node.post.id == top.id
    assert node.level == 1
    assert [c.post.id for c in node.children] == [level2.id, sibling.id]
    node3 = node.children[0].children[0]
    assert node3.post.id == level3.id
    assert node3.level == 3
    assert [(c.post.id, c.in_reply_to, c.level) for c in node3.children] == [
        (level4.id, "Bram Jansen", 3),
        (level5.id, "Anna de Vries", 3),
    ]


def test_thread_page_lists_sectors_reactions_and_first_unread(setting):
    thread, asker, helper = setting
    first = services.create_reply(thread, helper, body="Eerste")
    services.toggle_reaction(first, asker, "useful")
    services.mark_read(thread, asker)
    db.session.commit()
    db.session.refresh(thread)
    second = services.create_reply(thread, helper, body="Tweede")
    db.session.commit()
    view = queries.thread_page(thread, asker)
    assert [s.key for s in view.sectors] == ["onderwijs", "politie"]
    assert view.my_reactions == {(first.id, "useful")}
    assert view.first_unread_id == second.id
    assert view.first_unread_on_page
    assert view.watch_level == "watch"
    assert queries.thread_page(thread, asker, page=2) is None


def page_queries(thread, viewer) -> int:
    db.session.expire_all()
    thread = db.session.scalar(select(Thread).where(Thread.id == thread.id))
    term_labels(Sector)  # the process's copy of the sector names, read once a minute
    with count_queries() as counter:
        view = queries.thread_page(thread, viewer)
        # Touch what the template touches.
        for post in view.posts_on_page:
            _ = post.author.public_name, post.author.sector and post.author.sector.label
    return counter.count


def test_thread_page_runs_the_same_number_of_queries_for_10_and_200_replies(
    setting, make_user, post_thread
):
    thread, asker, helper = setting
    authors = [helper, *(make_user(sector="jeugdhulp") for _ in range(4))]
    add_replies(thread, authors, 10)
    small = page_queries(thread, asker)
    big_thread = post_thread(thread.group, asker)
    services.accept_answer(big_thread, add_replies(big_thread, authors, 200)[150], asker)
    db.session.commit()
    big = page_queries(big_thread, asker)
    # The thread itself, then the viewer's state with the page's ids and the sectors'
    # ids, the posts with their authors and the viewer's reactions; the accepted answer
    # on another page comes with the posts.
    assert small == big == 3, (small, big)
