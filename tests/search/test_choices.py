"""The search form's choices: readable groups only, in one statement."""

from __future__ import annotations

from core.extensions import db
from search.choices import filter_choices
from tests.conftest import count_queries


def test_closed_and_secret_groups_are_offered_only_to_their_members(make_user, make_group):
    insider, outsider = make_user(), make_user()
    open_group = make_group(name="Open groep")
    closed = make_group(visibility="closed", name="Besloten groep", members=[insider])
    secret = make_group(visibility="secret", name="Geheime groep", members=[insider])
    insider_slugs = {choice.key for choice in filter_choices(insider).groups}
    outsider_slugs = {choice.key for choice in filter_choices(outsider).groups}
    assert {open_group.slug, closed.slug, secret.slug} <= insider_slugs
    assert open_group.slug in outsider_slugs
    assert closed.slug not in outsider_slugs
    assert secret.slug not in outsider_slugs


def test_groups_by_name_then_tags_and_sectors_in_their_order_in_one_statement(
    make_user, make_group
):
    from core.taxonomy import Sector, Tag, terms

    user = make_user()
    make_group(name="Zuid")
    make_group(name="Noord")
    db.session.refresh(user)
    with count_queries() as q:
        choices = filter_choices(user)
    assert q.count == 1
    names = [choice.label for choice in choices.groups]
    assert names == sorted(names)
    assert [c.key for c in choices.tags] == [t.key for t in terms(Tag)]
    assert [c.key for c in choices.sectors] == [s.key for s in terms(Sector)]
    assert [c.label for c in choices.tags] == [t.name_nl for t in terms(Tag)]


def test_labels_in_english_for_english_readers(app, member_client, make_group):
    from core.taxonomy import Tag, terms

    client, user = member_client
    user.language = "en"
    group = make_group(name="Netwerkgroep")
    group.name_en = "Network group"
    db.session.commit()
    page = client.get("/search?q=x").get_data(as_text=True)
    assert f'<option value="{group.slug}" >Network group</option>' in page
    first_tag = terms(Tag)[0]
    assert f'<option value="{first_tag.key}" >{first_tag.name_en}</option>' in page
