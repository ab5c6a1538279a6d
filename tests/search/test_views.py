"""The /search page: members only, helpful empty states, escaping, stable query count."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import count_queries


@pytest.fixture
def group(make_group):
    return make_group(visibility="members", name="Regio Test")


def test_search_is_for_active_members_only(client, make_user, login):
    assert client.get("/search?q=x").status_code == 302
    pending = make_user(status="pending")
    login(client, pending)
    response = client.get("/search?q=x")
    assert response.status_code == 302
    assert "/search" not in response.headers["Location"]


def test_empty_query_shows_tips(member_client):
    client, _ = member_client
    page = client.get("/search").get_data(as_text=True)
    assert "Zo vind je eerdere gesprekken" in page


@pytest.mark.parametrize("query", ["!!!", "-alleen", '""', "%00%3C%3E"])
def test_unsearchable_query_explains_what_to_do(member_client, query):
    client, _ = member_client
    response = client.get(f"/search?q={query}")
    assert response.status_code == 200
    assert "geen woorden" in response.get_data(as_text=True)


def test_very_long_query_is_refused_with_a_message_and_kept_in_the_box(
    member_client, group, make_thread
):
    client, user = member_client
    make_thread(group, user, "Lang verhaal", "lang lang lang")
    query = "lang " * 1500
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Je zoekvraag is te lang: 7499 tekens. Gebruik er hooguit 200" in page
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert f'value="{query.strip()}"' in page  # nothing typed is lost
    assert "resultaat" not in page


def test_a_query_of_the_longest_allowed_length_is_searched(member_client, group, make_thread):
    client, user = member_client
    make_thread(group, user, "Lang verhaal", "lang lang lang")
    query = ("lang " * 40).strip() + " lang"  # 204 characters before trimming words
    page = client.get("/search", query_string={"q": query[:200]}).get_data(as_text=True)
    assert "te lang" not in page
    assert "1 resultaat" in page


def test_results_show_escaped_snippet_with_marks_and_links(member_client, group, make_thread):
    client, user = member_client
    thread = make_thread(
        group, user, "Signalen <b>herkennen</b>", "Hij typte <script>alert(1)</script> hier"
    )
    page = client.get("/search?q=alert").get_data(as_text=True)
    assert f'href="/threads/{thread.id}"' in page
    assert "Signalen &lt;b&gt;herkennen&lt;/b&gt;" in page
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "1 resultaat" in page


def test_unknown_filter_values_are_ignored(member_client, group, make_thread):
    client, user = member_client
    make_thread(group, user, "Netwerk", "tekst")
    page = client.get("/search?q=netwerk&group=bestaat-niet&kind=x&tag=x&sector=x&page=abc")
    assert "1 resultaat" in page.get_data(as_text=True)


def test_filters_are_kept_in_the_form_and_pagination_links(member_client, group, make_thread):
    client, user = member_client
    for n in range(21):
        make_thread(group, user, f"Vraag {n}", "zelfde woord", kind="question")
    page = client.get(f"/search?q=woord&group={group.slug}&kind=question").get_data(as_text=True)
    assert f'<option value="{group.slug}" selected' in page
    assert "page=2" in page
    assert "kind=question" in page
    page2 = client.get(f"/search?q=woord&group={group.slug}&kind=question&page=2")
    assert "Pagina 2 van 2" in page2.get_data(as_text=True)


def test_closed_group_content_is_not_on_the_page_for_outsiders(member_client, make_group, make_user,
                                                               make_thread):  # fmt: skip
    client, _ = member_client
    insider = make_user()
    closed = make_group(visibility="closed", members=[insider], name="Besloten")
    make_thread(closed, insider, "Geheime casus", "details")
    page = client.get("/search?q=casus").get_data(as_text=True)
    assert "Geheime casus" not in page
    assert "Besloten" not in page


def test_query_count_does_not_grow_with_results(member_client, group, make_thread, make_reply):
    client, user = member_client
    thread = make_thread(group, user, "Eerste", "telwoord")
    client.get("/search?q=telwoord")
    with count_queries() as few:
        client.get("/search?q=telwoord")
    for n in range(19):
        make_reply(thread, user, f"telwoord {n}")
    with count_queries() as many:
        page = client.get("/search?q=telwoord").get_data(as_text=True)
    assert "20 resultaten" in page
    assert many.count == few.count


def test_reindex_command_rebuilds_the_index(app, group, make_user, make_thread):
    from search.models import SearchDocument

    make_thread(group, make_user(), "Draad", "tekst")
    db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert "1 threads" in result.output
    assert len(db.session.scalars(select(SearchDocument)).all()) == 1
