"""Dutch stemming on PostgreSQL: other forms of a word are found."""

from __future__ import annotations

import pytest

from core import signals
from core.extensions import db
from core.text import render_markdown


@pytest.fixture
def reader(pg_app):
    from auth.models import User
    from forum.models import Post, Thread
    from groups.models import Group

    user = User(email="stem@example.org", display_name="Stem", status="active")
    group = Group(slug="stemmen", name="Stemmen", visibility="members")
    db.session.add_all([user, group])
    db.session.flush()
    thread = Thread(group_id=group.id, author_id=user.id, title="Een jongere in beeld")
    db.session.add(thread)
    db.session.flush()
    body = "Hoe verliep de radicalisering bij hem?"
    post = Post(thread_id=thread.id, author_id=user.id, depth=0, body_source=body,
                body_html=str(render_markdown(body)))  # fmt: skip
    db.session.add(post)
    db.session.flush()
    signals.thread_created.send(thread=thread, post=post)
    db.session.commit()
    return user


@pytest.mark.parametrize(
    ("query", "found"),
    [("jongeren", True), ("radicaliseert", True), ("radicaliseren", True),
     ('"jongeren in beeld"', True), ("jongeren -radicaliseert", False), ("de het een", False)],
)  # fmt: skip
def test_dutch_stemming_finds_other_forms_of_a_word(reader, query, found):
    from search.queries import search

    result = search(reader, query)
    assert bool(result.results) is found


def test_snippet_marks_the_stemmed_word(reader):
    from search.queries import search

    [result] = search(reader, "radicaliseert").results
    assert "<mark>radicalisering</mark>" in result.snippet
