"""Kennisbank pages: reading as a visitor, member or editor, writing, the workflow,
facets and search, slugs and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.taxonomy import Sector, Tag
from knowledge.models import KnowledgeItem
from tests.conftest import count_queries
from tests.knowledge.conftest import signed_in_client


@pytest.fixture
def published(editors, make_knowledge_item):
    anna, bram, _admin = editors
    return make_knowledge_item(anna, status="published", reviewer=bram, summary="Kort")


def test_a_visitor_reads_a_published_public_item(client, published):
    response = client.get(f"/kennisbank/{published.slug}")
    assert response.status_code == 200
    assert published.title in response.get_data(as_text=True)


def test_a_visitor_gets_404_for_members_only_and_draft_items(client, editors, make_knowledge_item):
    anna, bram, _admin = editors
    members_only = make_knowledge_item(
        anna, title="Alleen leden", status="published", reviewer=bram, is_members_only=True
    )
    draft = make_knowledge_item(anna, title="Nog een concept")
    assert client.get(f"/kennisbank/{members_only.slug}").status_code == 404
    assert client.get(f"/kennisbank/{draft.slug}").status_code == 404
    page = client.get("/kennisbank").get_data(as_text=True)
    assert "Alleen leden" not in page
    assert "Nog een concept" not in page


def test_a_member_reads_members_only_items_but_not_items_in_review(
    app, make_user, editors, make_knowledge_item
):
    anna, bram, _admin = editors
    members_only = make_knowledge_item(
        anna, title="Alleen leden", status="published", reviewer=bram, is_members_only=True
    )
    in_review = make_knowledge_item(anna, title="Ter controle", status="review")
    member = signed_in_client(app, make_user())
    assert member.get(f"/kennisbank/{members_only.slug}").status_code == 200
    assert member.get(f"/kennisbank/{in_review.slug}").status_code == 404
    assert member.get(f"/kennisbank/{in_review.slug}/edit").status_code == 404


def test_an_editor_writes_a_draft_through_the_form(app, editors):
    anna, _bram, _admin = editors
    client = signed_in_client(app, anna)
    tag = db.session.scalar(select(Tag))
    response = client.post(
        "/kennisbank/new",
        data={
            "title": "Gesprekskaart complotdenken",
            "kind": "instrument",
            "summary": "Een kaart voor het gesprek.",
            "body": "Vraag door.",
            "themes": [str(tag.id)],
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(KnowledgeItem))
    assert item.slug == "gesprekskaart-complotdenken"
    assert item.status == "draft"
    assert [t.id for t in item.themes] == [tag.id]


def test_a_member_may_not_open_the_new_item_form(app, make_user):
    member = signed_in_client(app, make_user())
    assert member.get("/kennisbank/new").status_code == 403


def test_bad_input_shows_errors_and_keeps_the_text(app, editors):
    anna, _bram, _admin = editors
    client = signed_in_client(app, anna)
    response = client.post(
        "/kennisbank/new",
        data={"title": "", "kind": "onzin", "body": "Mijn tekst blijft staan", "age_min": "x"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mijn tekst blijft staan" in page
    assert "Geef het item een titel." in page


def test_a_huge_body_is_refused_with_a_message(app, editors):
    anna, _bram, _admin = editors
    client = signed_in_client(app, anna)
    response = client.post(
        "/kennisbank/new", data={"title": "Groot", "kind": "faq", "body": "a" * 100_001}
    )
    assert response.status_code == 422
    assert "Maximaal" in response.get_data(as_text=True)


def test_a_bsn_in_the_body_is_blocked_in_the_page(app, editors):
    anna, _bram, _admin = editors
    client = signed_in_client(app, anna)
    response = client.post(
        "/kennisbank/new",
        data={"title": "Casus", "kind": "faq", "body": "Zijn bsn is 111222333."},
    )
    assert response.status_code == 422
    assert "Dit kan niet worden geplaatst" in response.get_data(as_text=True)
    assert db.session.scalar(select(KnowledgeItem)) is None


def test_a_taken_slug_gives_a_message_not_an_error(app, editors, make_knowledge_item):
    anna, _bram, _admin = editors
    first = make_knowledge_item(anna, title="Eerste")
    client = signed_in_client(app, anna)
    response = client.post(
        "/kennisbank/new", data={"title": "Tweede", "kind": "faq", "slug": first.slug}
    )
    assert response.status_code == 422
    assert "al in gebruik" in response.get_data(as_text=True)


def test_submit_and_publish_by_two_editors(app, editors, make_knowledge_item):
    anna, bram, _admin = editors
    item = make_knowledge_item(anna)
    a, b = signed_in_client(app, anna), signed_in_client(app, bram)
    assert a.post(f"/kennisbank/{item.slug}/submit").status_code == 302
    a.post(f"/kennisbank/{item.slug}/publish")
    db.session.refresh(item)
    assert item.status == "review"
    b.post(f"/kennisbank/{item.slug}/publish")
    db.session.refresh(item)
    assert item.status == "published"


def test_a_member_cannot_publish(app, make_user, editors, make_knowledge_item):
    anna, _bram, _admin = editors
    item = make_knowledge_item(anna, status="review")
    member = signed_in_client(app, make_user())
    assert member.post(f"/kennisbank/{item.slug}/publish").status_code == 404


def test_an_old_slug_redirects_permanently(app, editors, make_knowledge_item):
    from knowledge import services

    anna, bram, _admin = editors
    item = make_knowledge_item(anna, status="published", reviewer=bram)
    old = item.slug
    services.update_item(item, anna, services.item_data_from(item, slug="nieuw-adres"))
    services.publish_item(item, bram)
    db.session.commit()
    response = app.test_client().get(f"/kennisbank/{old}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/kennisbank/nieuw-adres")


def test_history_shows_the_diff_between_versions(app, editors, make_knowledge_item):
    from knowledge import services

    anna, _bram, _admin = editors
    item = make_knowledge_item(anna, body="Eerste zin.")
    services.update_item(item, anna, services.item_data_from(item, body="Tweede zin."))
    db.session.commit()
    page = signed_in_client(app, anna).get(f"/kennisbank/{item.slug}/history")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Versie 2" in text
    assert "- Eerste zin." in text
    assert "+ Tweede zin." in text


def test_facets_combine_and_show_counts(client, editors, make_knowledge_item):
    anna, bram, _admin = editors
    onderwijs = db.session.scalar(select(Sector).where(Sector.key == "onderwijs"))
    make_knowledge_item(anna, title="Interventie A", kind="interventie", status="published",
                        reviewer=bram, evidence_level="goed-onderbouwd",
                        sector_ids=(onderwijs.id,))  # fmt: skip
    make_knowledge_item(anna, title="Interventie B", kind="interventie", status="published",
                        reviewer=bram, evidence_level="goed-beschreven")  # fmt: skip
    make_knowledge_item(anna, title="Handreiking C", status="published", reviewer=bram,
                        sector_ids=(onderwijs.id,))  # fmt: skip
    page = client.get("/kennisbank?kind=interventie&sector=onderwijs").get_data(as_text=True)
    assert "Interventie A" in page
    assert "Interventie B" not in page
    assert "Handreiking C" not in page
    # The kind facet counts with the sector filter: one intervention, one guidance.
    assert 'Handreiking <span class="meta">(1)</span>' in page
    assert 'Goed onderbouwd <span class="meta">(1)</span>' in page


def test_unknown_filter_values_are_ignored(client, published):
    response = client.get("/kennisbank?kind=bestaatniet&theme=x&level=y&page=abc")
    assert response.status_code == 200
    assert published.title in response.get_data(as_text=True)


def test_full_text_search_finds_items_through_the_search_index(
    client, editors, make_knowledge_item
):
    anna, bram, _admin = editors
    make_knowledge_item(anna, title="Gezinsgesprek", status="published", reviewer=bram,
                        body="Over loyaliteitsconflicten thuis.")  # fmt: skip
    make_knowledge_item(anna, title="Iets anders", status="published", reviewer=bram)
    page = client.get("/kennisbank?q=loyaliteitsconflicten").get_data(as_text=True)
    assert "Gezinsgesprek" in page
    assert "Iets anders" not in page


def test_global_search_finds_published_items_only(app, make_user, editors, make_knowledge_item):
    anna, bram, _admin = editors
    make_knowledge_item(anna, title="Zichtbaar", status="published", reviewer=bram,
                        body="Weerbaarheidstraining voor docenten.")  # fmt: skip
    make_knowledge_item(anna, title="Verborgen concept", body="Weerbaarheidstraining concept.")
    member = signed_in_client(app, make_user())
    page = member.get("/search?q=weerbaarheidstraining").get_data(as_text=True)
    assert "Zichtbaar" in page
    assert "Verborgen concept" not in page
    assert "/kennisbank/item/" in page


def test_the_list_page_query_count_does_not_grow_with_items(client, editors, make_knowledge_item):
    anna, bram, _admin = editors
    tag = db.session.scalar(select(Tag))
    make_knowledge_item(anna, title="Een", status="published", reviewer=bram, theme_ids=(tag.id,))
    client.get("/kennisbank")
    with count_queries() as few:
        client.get("/kennisbank")
    for n in range(6):
        make_knowledge_item(anna, title=f"Item {n}", status="published", reviewer=bram,
                            theme_ids=(tag.id,))  # fmt: skip
    with count_queries() as many:
        page = client.get("/kennisbank").get_data(as_text=True)
    assert many.count == few.count
    # One page of rows with their themes, and the total with every facet's counts (an
    # anonymous visitor: no member to load).
    assert many.count == 2
    assert "Item 5" in page
    assert tag.label in page


def test_filters_of_every_shape_give_the_right_items(client, editors, make_knowledge_item):
    """The list's statements are built once per combination of filters: each
    combination still finds exactly its items (and the total says so)."""
    anna, bram, _admin = editors
    tags = list(db.session.scalars(select(Tag).order_by(Tag.id).limit(2)))
    make_knowledge_item(anna, title="Alfa interventie", status="published", reviewer=bram,
                        kind="interventie", theme_ids=(tags[0].id,))  # fmt: skip
    make_knowledge_item(anna, title="Beta interventie", status="published", reviewer=bram,
                        kind="interventie", theme_ids=(tags[1].id,))  # fmt: skip
    make_knowledge_item(anna, title="Gamma handreiking", status="published", reviewer=bram,
                        kind="handreiking", theme_ids=(tags[0].id,))  # fmt: skip
    cases = [
        ("/kennisbank", {"Alfa", "Beta", "Gamma"}),
        ("/kennisbank?kind=interventie", {"Alfa", "Beta"}),
        (f"/kennisbank?theme={tags[0].key}", {"Alfa", "Gamma"}),
        (f"/kennisbank?kind=interventie&theme={tags[0].key}", {"Alfa"}),
        (f"/kennisbank?kind=handreiking&theme={tags[1].key}", set()),
        (f"/kennisbank?kind=interventie&theme={tags[1].key}", {"Beta"}),  # kept statement
    ]
    for url, wanted in cases:
        page = client.get(url).get_data(as_text=True)
        found = {name for name in ("Alfa", "Beta", "Gamma") if f"{name} " in page}
        assert found == wanted, url


def test_a_member_follows_a_theme_from_the_list(app, make_user):
    from knowledge.queries import followed_theme_ids

    member = make_user()
    client = signed_in_client(app, member)
    tag = db.session.scalar(select(Tag))
    assert client.post(f"/kennisbank/themas/{tag.key}/volgen").status_code == 302
    assert followed_theme_ids(member) == {tag.id}


def test_editing_a_published_item_through_the_form_sends_it_to_review(app, editors, published):
    _anna, bram, _admin = editors
    client = signed_in_client(app, bram)
    form = client.get(f"/kennisbank/{published.slug}/edit").get_data(as_text=True)
    assert published.title in form
    response = client.post(
        f"/kennisbank/{published.slug}/edit",
        data={"title": published.title, "kind": "handreiking", "summary": "Nieuw"},
        follow_redirects=True,
    )
    assert "Een andere redacteur controleert" in response.get_data(as_text=True)
    db.session.refresh(published)
    assert published.status == "review"
    assert published.version == 2


def test_an_invalid_slug_is_explained_in_the_form(app, editors, published):
    anna, _bram, _admin = editors
    response = signed_in_client(app, anna).post(
        f"/kennisbank/{published.slug}/edit",
        data={"title": published.title, "kind": "handreiking", "slug": "Niet Goed!"},
    )
    assert response.status_code == 422
    assert "Alleen kleine letters" in response.get_data(as_text=True)


def test_the_kennisbank_speaks_english_too(client, published):
    headers = {"Accept-Language": "en"}
    page = client.get("/kennisbank", headers=headers).get_data(as_text=True)
    assert "Knowledge base" in page
    assert "Guidance" in page
    item = client.get(f"/kennisbank/{published.slug}", headers=headers).get_data(as_text=True)
    assert "Guidance" in item


def test_an_id_link_from_search_redirects_to_the_slug_only_when_readable(
    client, editors, make_knowledge_item, published
):
    anna, _bram, _admin = editors
    draft = make_knowledge_item(anna, title="Concept")
    response = client.get(f"/kennisbank/item/{published.id}")
    assert response.headers["Location"].endswith(f"/kennisbank/{published.slug}")
    assert client.get(f"/kennisbank/item/{draft.id}").status_code == 404


def test_the_ran_approach_is_a_facet_too(client, editors, make_knowledge_item):
    anna, bram, _admin = editors
    make_knowledge_item(anna, title="Exittraject", kind="interventie", approach="exit",
                        status="published", reviewer=bram)  # fmt: skip
    make_knowledge_item(anna, title="Ouderavonden", kind="interventie",
                        approach="gezinsondersteuning", status="published", reviewer=bram)  # fmt: skip
    page = client.get("/kennisbank?approach=exit").get_data(as_text=True)
    assert "Exittraject" in page
    assert "Ouderavonden" not in page
    assert 'Ondersteuning van gezinnen <span class="meta">(1)</span>' in page


def test_the_item_page_query_count_does_not_grow_with_terms_references_or_related_items(
    app, editors, make_knowledge_item, make_user
):
    from core.taxonomy import Region
    from knowledge.models import KnowledgeReference
    from tests.factories import join, make_event, make_group, make_thread

    anna, bram, _admin = editors
    tags = list(db.session.scalars(select(Tag).limit(3)))
    item = make_knowledge_item(
        anna, title="Veel verbanden", status="published", reviewer=bram, theme_ids=(tags[0].id,)
    )
    url = f"/kennisbank/{item.slug}"  # read now: after a commit `item` would reload
    member = make_user()
    client = signed_in_client(app, member)
    client.get(url)  # the first read of the day is counted
    with count_queries() as few:
        client.get(url)
    item.themes = tags
    item.sectors = list(db.session.scalars(select(Sector).limit(3)))
    item.regions = list(db.session.scalars(select(Region).limit(3)))
    for n in range(4):
        make_knowledge_item(anna, title=f"Verwant {n}", status="published", reviewer=bram,
                            theme_ids=tuple(t.id for t in tags))  # fmt: skip
    group = make_group()
    join(group, member)
    threads = [make_thread(group, member, title=f"Gesprek {n} met link") for n in range(3)]
    events = [make_event(group, title=f"Bijeenkomst {n} met link") for n in range(2)]
    for source_type, source_id in [
        *(("post", thread.first_post_id) for thread in threads),
        *(("event", event.id) for event in events),
    ]:
        db.session.add(
            KnowledgeReference(item_id=item.id, source_type=source_type, source_id=source_id)
        )
    db.session.commit()
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert many.count == few.count <= 6
    assert all(f"Gesprek {n} met link" in page for n in range(3))
    assert "Bijeenkomst 1 met link" in page
    assert "Verwant 3" in page
    assert tags[2].label in page


def test_references_list_threads_newest_first_then_meetings_latest_first(
    editors, make_knowledge_item, make_user
):
    from datetime import timedelta

    from knowledge.models import KnowledgeReference
    from knowledge.queries import references_for
    from tests.factories import join, make_event, make_group, make_thread

    anna, bram, _admin = editors
    item = make_knowledge_item(anna, status="published", reviewer=bram)
    member = make_user()
    group = make_group()
    join(group, member)
    first, second = (make_thread(group, member, title=t) for t in ("Eerste", "Tweede"))
    soon = make_event(group, title="Binnenkort", starts_in=timedelta(days=2))
    later = make_event(group, title="Later", starts_in=timedelta(days=9))
    for source_type, source_id in [
        ("event", soon.id),
        ("post", first.first_post_id),
        ("event", later.id),
        ("post", second.first_post_id),
    ]:
        db.session.add(
            KnowledgeReference(item_id=item.id, source_type=source_type, source_id=source_id)
        )
    db.session.commit()
    refs = references_for(member, item)
    assert [(r.kind, r.title) for r in refs] == [
        ("thread", "Tweede"),
        ("thread", "Eerste"),
        ("event", "Later"),
        ("event", "Binnenkort"),
    ]
    assert refs[0].url == f"/threads/{second.id}"
    assert refs[2].url == f"/events/{later.id}"
