"""The kennisbank in the API: the page's items, filters, search and 404s."""

from __future__ import annotations

import pytest

from core.taxonomy import Sector, Tag
from tests.api.conftest import bearer
from tests.conftest import term
from tests.factories import make_knowledge_item


@pytest.fixture
def kennisbank(app, make_user):
    """Published items (one members-only, one intervention), a draft and one in review."""
    anna = make_user("Anna Redactie", role="editor")
    bram = make_user("Bram Redactie", role="editor")
    theme, sector = term(Tag), term(Sector)

    def item(title, status="published", **fields):
        return make_knowledge_item(anna, status=status, reviewer=bram, title=title, **fields)

    return {
        "editor": bram,
        "theme": theme,
        "sector": sector,
        "guide": item("Handreiking gesprekken op school", summary="Voor mentoren."),
        "intervention": item(
            "Weerbaarheidstraining voor jongeren",
            kind="interventie",
            evidence_level="goed-onderbouwd",
            approach="jongerenwerk-onderwijs",
            theme_ids=(theme.id,),
            sector_ids=(sector.id,),
            age_min=12,
            age_max=18,
            goal="Jongeren weerbaar maken.",
            method="Acht groepsbijeenkomsten.",
        ),
        "members_only": item("Casusoverleg draaiboek", is_members_only=True),
        "draft": item("Concept over online werving", status="draft"),
        "review": item("Ter controle: achtergrond", status="review"),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.get_json()["items"]]


def test_a_visitor_lists_published_public_items_newest_first_with_cors(client, kennisbank):
    response = client.get("/api/v1/kennisbank", headers={"Origin": "https://gemeente.example"})
    assert titles(response) == ["Weerbaarheidstraining voor jongeren",
                                "Handreiking gesprekken op school"]  # fmt: skip
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    first = response.get_json()["items"][1]
    assert first["slug"] == kennisbank["guide"].slug
    assert first["url"].endswith(f"/kennisbank/{kennisbank['guide'].slug}")
    assert first["is_members_only"] is False


def test_a_members_token_also_lists_members_only_items_without_cors(
    client, kennisbank, make_user, issue_token
):
    token = issue_token(make_user(name="Lid"))
    response = client.get("/api/v1/kennisbank", headers=bearer(token))
    assert "Casusoverleg draaiboek" in titles(response)
    assert "Concept over online werving" not in titles(response)
    assert "Ter controle: achtergrond" not in titles(response)
    assert "Access-Control-Allow-Origin" not in response.headers


def test_an_editors_token_lists_no_drafts_either(client, kennisbank, issue_token):
    listed = titles(
        client.get("/api/v1/kennisbank", headers=bearer(issue_token(kennisbank["editor"])))
    )
    assert len(listed) == 3
    assert not {"Concept over online werving", "Ter controle: achtergrond"} & set(listed)


def test_the_filters_are_the_pages(client, kennisbank):
    intervention = ["Weerbaarheidstraining voor jongeren"]
    assert titles(client.get("/api/v1/kennisbank?kind=interventie")) == intervention
    assert titles(client.get("/api/v1/kennisbank?level=goed-onderbouwd")) == intervention
    assert titles(client.get(f"/api/v1/kennisbank?theme={kennisbank['theme'].key}")) == intervention
    assert (
        titles(client.get(f"/api/v1/kennisbank?sector={kennisbank['sector'].key}")) == intervention
    )
    assert titles(client.get("/api/v1/kennisbank?kind=faq")) == []


@pytest.mark.parametrize("query", ["kind=recept", "level=zeer-goed", "theme=bestaat-niet",
                                   "sector=bestaat-niet", "limit=0"])  # fmt: skip
def test_an_invalid_filter_is_a_400(client, kennisbank, query):
    response = client.get(f"/api/v1/kennisbank?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_q_searches_like_the_page(client, kennisbank):
    assert titles(client.get("/api/v1/kennisbank?q=weerbaarheidstraining")) == [
        "Weerbaarheidstraining voor jongeren"
    ]
    assert titles(client.get("/api/v1/kennisbank?q=werving")) == []  # Only in a draft.
    assert titles(client.get("/api/v1/kennisbank?q=draaiboek")) == []  # Members only.
    page = client.get("/kennisbank?q=weerbaarheidstraining").get_data(as_text=True)
    assert "Weerbaarheidstraining voor jongeren" in page


def test_pages_follow_the_cursor(client, kennisbank, make_user, issue_token):
    headers = bearer(issue_token(make_user(name="Lid")))
    seen, cursor = [], None
    while True:
        query = "limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/kennisbank?{query}", headers=headers).get_json()
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 3


def test_an_intervention_has_its_structured_fields(client, kennisbank):
    slug = kennisbank["intervention"].slug
    response = client.get(f"/api/v1/kennisbank/{slug}")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    item = response.get_json()
    assert item["evidence_level"] == "goed-onderbouwd"
    assert item["themes"][0]["key"] == kennisbank["theme"].key
    assert item["intervention"]["goal"] == "Jongeren weerbaar maken."
    assert item["intervention"]["method"] == "Acht groepsbijeenkomsten."
    assert (item["intervention"]["age_min"], item["intervention"]["age_max"]) == (12, 18)
    assert item["intervention"]["costs"] == ""
    guide = client.get(f"/api/v1/kennisbank/{kennisbank['guide'].slug}").get_json()
    assert guide["intervention"] is None
    assert "body_html" in guide


def test_members_only_items_need_a_members_token(client, kennisbank, make_user, issue_token):
    path = f"/api/v1/kennisbank/{kennisbank['members_only'].slug}"
    refused = client.get(path)
    assert refused.status_code == 404
    assert refused.get_json() == client.get("/api/v1/kennisbank/bestaat-niet").get_json()
    response = client.get(path, headers=bearer(issue_token(make_user(name="Lid"))))
    assert response.status_code == 200
    assert response.get_json()["is_members_only"] is True


@pytest.mark.parametrize("which", ["draft", "review"])
def test_drafts_and_items_in_review_are_a_404_even_for_an_editor(
    client, kennisbank, issue_token, which
):
    slug = kennisbank[which].slug
    editor = kennisbank["editor"]
    response = client.get(f"/api/v1/kennisbank/{slug}", headers=bearer(issue_token(editor)))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/kennisbank/{slug}").status_code == 404
