"""One Dutch stemming test set, run against both databases: SQLite (FTS5 over the
Snowball stems of search.dutch) finds what PostgreSQL's `dutch` configuration finds."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from core.extensions import db
from search.dutch import STOP_WORDS, stem, stems

DOCUMENTS = [
    ("Radicalisering onder jongeren", "Hoe herken je radicalisering bij jongeren in de wijk?"),
    ("Polarisatie in de klas", "Leerlingen polariseren sneller na nieuws over conflicten."),
    ("Extremistische groepen online", "Extremisme en complotdenken op sociale media."),
    ("Gesprekken met ouders", "Ouders zoeken hulp bij de gemeente."),
    ("Scholen en gemeenten", "Samenwerking tussen school en wijkteam."),
]
RADICAL, POLAR, EXTREME, PARENTS, SCHOOLS = (title for title, _ in DOCUMENTS)

STEMMING_SET = [
    ("radicaliseren", [RADICAL]),
    ("radicaliseert", [RADICAL]),
    ("radicalisering", [RADICAL]),
    ("jongere", [RADICAL]),
    ("extremisme", [EXTREME]),
    ("extremistisch", [EXTREME]),
    ("ouder", [PARENTS]),
    ("school", [SCHOOLS]),
    ("gemeenten", [PARENTS, SCHOOLS]),
    ("polariseren", [POLAR]),
    ("polarisatie", [POLAR]),
    ("samenwerking", [SCHOOLS]),
    ('"sociale media"', [EXTREME]),
    ('"ouders zoeken"', [PARENTS]),
    ("jongeren -wijk", []),
    ("gemeente -samenwerking", [PARENTS]),
    ("leerling conflict", [POLAR]),
    ("de het een", []),
]


@pytest.fixture
def documents(make_user, make_group, make_thread):
    reader = make_user("Lezer")
    group = make_group("members")
    for title, body in DOCUMENTS:
        make_thread(group, reader, title, body)
    return reader


@pytest.mark.parametrize(("query", "expected"), STEMMING_SET)
def test_both_databases_find_the_same_dutch_forms(documents, find, query, expected):
    assert sorted(find(documents, query)) == sorted(expected)


def test_a_changed_title_is_found_by_its_new_stems_only(documents, find):
    from forum.models import Post, Thread
    from forum.services import edit_post

    thread = db.session.scalar(db.select(Thread).where(Thread.title == POLAR))
    opening = db.session.get(Post, thread.first_post_id)
    edit_post(opening, opening.author, body=opening.body_source, title="Verharding in de klas")
    db.session.commit()
    assert find(documents, "verhard") == ["Verharding in de klas"]
    assert find(documents, "polarisatie") == []


def test_the_python_stemmer_is_postgresqls_dutch_stemmer(pg_app):
    words = {w.lower() for _, body in DOCUMENTS for w in re.findall(r"\w+", body)}
    words |= {"radicaliseren", "radicaliseert", "jongeren", "gemeenten", "extremistische",
              "samenwerken", "vluchtelingen", "hulpverleners", "wijkagenten", "één"}  # fmt: skip
    rows = db.session.execute(
        text("SELECT w, ts_lexize('dutch_stem', w) FROM unnest(CAST(:words AS text[])) AS w"),
        {"words": sorted(words)},
    ).all()
    assert {w: (lexemes or [""])[0] for w, lexemes in rows} == {
        w: "" if w in STOP_WORDS else stem(w) for w in words
    }
    assert stems("De jongeren van het plein") == "jonger plein"
