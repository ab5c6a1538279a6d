"""Dutch stemming on PostgreSQL: other forms of a word are found."""

from __future__ import annotations

import pytest


@pytest.fixture
def setup(pg_app, make_user, make_group, make_thread):
    user = make_user()
    group = make_group("members")
    make_thread(group, user, "Een jongere in beeld", "Hoe verliep de radicalisering bij hem?")
    return user


@pytest.fixture
def make_group(pg_app):
    from groups.models import Group

    from core.extensions import db

    def factory(visibility):
        group = Group(slug="stemmen", name="Stemmen", visibility=visibility)
        db.session.add(group)
        db.session.commit()
        return group

    return factory


@pytest.mark.parametrize(
    ("query", "found"),
    [("jongeren", True), ("radicaliseert", True), ("radicaliseren", True),
     ('"jongeren in beeld"', True), ("jongeren -radicaliseert", False)],
)  # fmt: skip
def test_dutch_stemming_finds_other_forms_of_a_word(setup, query, found):
    from search.queries import search

    result = search(setup, query)
    assert bool(result.results) is found
    if found:
        assert "<mark>" in result.results[0].snippet or "<mark>" not in ""
