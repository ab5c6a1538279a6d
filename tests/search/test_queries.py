"""Parsing queries and building snippets: pure functions, no database."""

from __future__ import annotations

import pytest

from search.queries import (
    MAX_QUERY_LENGTH,
    fts5_expression,
    make_snippet,
    parse_query,
    websearch_text,
)


@pytest.mark.parametrize(
    ("raw", "words", "phrases", "excluded"),
    [
        ("jongere complot", ("jongere", "complot"), (), ()),
        ('"sociale media" jongere', ("jongere",), (("sociale", "media"),), ()),
        ("jongere -school", ("jongere",), (), ("school",)),
        ('jongere -"sociale media"', ("jongere",), (), ("sociale media",)),
        ("!!! ??? ***", (), (), ()),
        ('"unclosed phrase', (), (("unclosed", "phrase"),), ()),
        ("Überzeugung café", ("überzeugung", "café"), (), ()),
        ("AND OR NOT NEAR(", ("and", "or", "not", "near"), (), ()),
    ],
)
def test_parser_splits_words_phrases_and_exclusions(raw, words, phrases, excluded):
    parsed = parse_query(raw)
    assert (parsed.words, parsed.phrases, parsed.excluded) == (words, phrases, excluded)


def test_query_of_only_exclusions_or_punctuation_is_not_searchable():
    assert not parse_query("-school").is_searchable
    assert not parse_query("'\"*^:()").is_searchable
    assert parse_query("school").is_searchable


def test_parser_cuts_a_very_long_query():
    parsed = parse_query("woord " * 2000)
    assert parsed.words == ("woord",)
    assert len(parse_query("x" * 10_000).words[0]) == MAX_QUERY_LENGTH


def test_fts5_expression_quotes_the_dutch_stem_of_every_term():
    parsed = parse_query('jong "sociale media" -school')
    assert fts5_expression(parsed) == '("jong" AND "social media") NOT "schol"'
    # A verb form ending in -t is searched with and without it, as on PostgreSQL.
    assert fts5_expression(parse_query("radicaliseert")) == ('(("radicaliseert" OR "radicaliser"))')


def test_stop_words_are_left_out_as_postgresql_does():
    assert parse_query("de jongeren van het plein").words == ("jongeren", "plein")
    assert not parse_query("de van het").is_searchable
    assert fts5_expression(parse_query('"van de"')) is None


def test_websearch_text_is_rebuilt_from_parsed_parts_only():
    assert websearch_text(parse_query('jong "a b" -c -"d e" ;--')) == 'jong "a b" -c -"d e"'


def test_snippet_escapes_html_and_marks_matches():
    snippet = make_snippet("Hij schreef <script>alert(1)</script> in de chat", ("alert",))
    assert "<script>" not in snippet
    assert "&lt;script&gt;<mark>alert</mark>(1)" in snippet


def test_snippet_marks_other_forms_and_ignores_case_and_accents():
    snippet = make_snippet("Jongeren en één jongere bij de Politie", ("jongere", "een", "politie"))
    assert snippet.count("<mark>") == 4
    assert "<mark>Politie</mark>" in snippet
    assert "<mark>één</mark>" in snippet


def test_snippet_shows_a_window_around_a_late_match():
    text = "begin " * 200 + "radicalisering " + "einde " * 200
    snippet = make_snippet(text, ("radicalisering",))
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>radicalisering</mark>" in snippet
    assert len(snippet) < 400
