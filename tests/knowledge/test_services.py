"""Kennisbank services: versions, slugs, the four-eyes workflow and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from forum.services import PrivacyGuardError
from knowledge import services
from knowledge.models import KnowledgeItem, KnowledgeSlugRedirect, KnowledgeVersion
from knowledge.queries import get_item_by_slug


def _audit_actions(item) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.target_type == "knowledge_item", AuditEvent.target_id == item.id)
            .order_by(AuditEvent.id)
        )
    )


def test_a_new_item_is_a_draft_with_a_slug_from_its_title_and_version_one(editors):
    anna, _bram, _admin = editors
    item = services.create_item(
        anna, services.ItemData(title="Wat werkt bij complotdenken?", kind="achtergrond")
    )
    db.session.commit()
    assert item.status == "draft"
    assert item.slug == "wat-werkt-bij-complotdenken"
    assert [v.number for v in db.session.scalars(select(KnowledgeVersion))] == [1]
    assert _audit_actions(item) == ["knowledge.create"]


def test_two_items_with_the_same_title_get_different_slugs(editors, make_knowledge_item):
    anna, _bram, _admin = editors
    first = make_knowledge_item(anna)
    second = make_knowledge_item(anna)
    assert first.slug != second.slug
    assert second.slug.startswith(first.slug)


def test_the_body_is_rendered_and_sanitised_on_write(editors):
    anna, _bram, _admin = editors
    item = services.create_item(
        anna,
        services.ItemData(title="Een titel", kind="faq", body="**Vet** <script>x</script>"),
    )
    assert "<strong>Vet</strong>" in item.body_html
    assert "<script>" not in item.body_html


def test_an_editor_cannot_publish_what_they_last_changed_but_a_second_editor_can(
    editors, make_knowledge_item
):
    anna, bram, _admin = editors
    item = make_knowledge_item(anna, status="review")
    with pytest.raises(services.KnowledgeError):
        services.publish_item(item, anna)
    services.publish_item(item, bram)
    db.session.commit()
    assert item.status == "published"
    assert item.published_by_id == bram.id
    assert item.last_reviewed_on is not None
    assert _audit_actions(item) == ["knowledge.create", "knowledge.submit", "knowledge.publish"]


def test_an_admin_may_publish_a_draft_directly(editors, make_knowledge_item):
    _anna, _bram, admin = editors
    item = make_knowledge_item(admin)
    services.publish_item(item, admin)
    assert item.status == "published"


def test_editing_a_published_item_keeps_a_version_and_sends_it_back_to_review(
    editors, make_knowledge_item
):
    anna, bram, _admin = editors
    item = make_knowledge_item(anna, status="published", reviewer=bram)
    data = services.item_data_from(item, summary="Nieuwe samenvatting")
    services.update_item(item, bram, data)
    db.session.commit()
    assert item.status == "review"
    assert item.version == 2
    assert item.changed_by_id == bram.id
    with pytest.raises(services.KnowledgeError):
        services.publish_item(item, bram)
    services.publish_item(item, anna)
    assert item.status == "published"


def test_saving_without_changes_adds_no_version(editors, make_knowledge_item):
    anna, _bram, _admin = editors
    item = make_knowledge_item(anna)
    services.update_item(item, anna, services.item_data_from(item))
    assert item.version == 1


def test_renaming_the_slug_keeps_a_redirect_from_the_old_one(editors, make_knowledge_item):
    anna, _bram, _admin = editors
    item = make_knowledge_item(anna)
    old = item.slug
    services.update_item(item, anna, services.item_data_from(item, slug="nieuwe-naam"))
    db.session.commit()
    assert item.slug == "nieuwe-naam"
    found, is_old = get_item_by_slug(old)
    assert found.id == item.id
    assert is_old
    assert db.session.scalar(select(KnowledgeSlugRedirect.slug)) == old


def test_a_slug_in_use_by_another_item_is_refused(editors, make_knowledge_item):
    anna, _bram, _admin = editors
    first = make_knowledge_item(anna, title="Eerste")
    second = make_knowledge_item(anna, title="Tweede")
    with pytest.raises(services.SlugTaken):
        services.update_item(second, anna, services.item_data_from(second, slug=first.slug))


def test_the_privacy_guard_blocks_a_bsn_in_the_body(editors):
    anna, _bram, _admin = editors
    with pytest.raises(PrivacyGuardError):
        services.create_item(
            anna,
            services.ItemData(title="Casus", kind="faq", body="Het bsn is 111222333."),
        )
    assert db.session.scalar(select(KnowledgeItem)) is None


def test_intervention_fields_are_kept_only_for_interventions(editors):
    anna, _bram, _admin = editors
    intervention = services.create_item(
        anna,
        services.ItemData(
            title="Weerbaar in de klas",
            kind="interventie",
            evidence_level="goed-onderbouwd",
            approach="jongerenwerk-onderwijs",
            age_min=16,
            age_max=12,
            goal="Weerbaarheid vergroten",
        ),
    )
    faq = services.create_item(
        anna, services.ItemData(title="Een vraag", kind="faq", goal="x", evidence_level=None)
    )
    assert (intervention.age_min, intervention.age_max) == (12, 16)
    assert intervention.goal == "Weerbaarheid vergroten"
    assert faq.goal == ""
    assert faq.evidence_level is None


def test_an_unknown_evidence_level_is_refused(editors):
    anna, _bram, _admin = editors
    with pytest.raises(services.KnowledgeError):
        services.create_item(
            anna, services.ItemData(title="Iets", kind="interventie", evidence_level="super")
        )


def test_archiving_takes_a_published_item_out(editors, make_knowledge_item):
    anna, bram, _admin = editors
    item = make_knowledge_item(anna, status="archived", reviewer=bram)
    assert item.status == "archived"
    assert _audit_actions(item)[-1] == "knowledge.archive"


def test_following_a_theme_twice_unfollows_it(editors, make_user):
    from core.taxonomy import Tag

    member = make_user()
    tag = db.session.scalar(select(Tag))
    assert services.toggle_theme_follow(member, tag) is True
    assert services.toggle_theme_follow(member, tag) is False


def test_a_members_data_export_includes_followed_themes_and_written_items(
    editors, make_knowledge_item
):
    import json

    from auth.avg import export_member_data
    from core.taxonomy import Tag

    anna, _bram, _admin = editors
    make_knowledge_item(anna, last_reviewed_on=None)
    services.toggle_theme_follow(anna, db.session.scalar(select(Tag)))
    db.session.commit()
    data = export_member_data(anna)
    json.dumps(data)  # JSON-ready
    assert len(data["knowledge_theme_follows"]) == 1
    assert len(data["knowledge_items"]) == 1
    assert len(data["knowledge_versions"]) == 1


def test_a_title_that_matches_a_page_gets_another_slug(editors):
    anna, _bram, _admin = editors
    item = services.create_item(anna, services.ItemData(title="New", kind="faq"))
    assert item.slug == "new-2"
    with pytest.raises(services.SlugTaken):
        services.update_item(item, anna, services.item_data_from(item, slug="redactie"))
