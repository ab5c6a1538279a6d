"""The digest block "Nieuw in de kennisbank"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Sector, Tag
from knowledge import services
from notifications.digest import compose_digest


def _sector(key: str) -> int:
    return db.session.scalar(select(Sector.id).where(Sector.key == key))


def test_new_items_for_my_sector_are_in_my_digest(editors, make_user, make_knowledge_item):
    anna, bram, _admin = editors
    teacher = make_user(sector="onderwijs")
    start = utcnow() - timedelta(days=7)
    make_knowledge_item(anna, title="Voor docenten", status="published", reviewer=bram,
                        sector_ids=(_sector("onderwijs"),))  # fmt: skip
    make_knowledge_item(anna, title="Voor de politie", status="published", reviewer=bram,
                        sector_ids=(_sector("politie"),))  # fmt: skip
    digest = compose_digest(teacher, start, utcnow() + timedelta(seconds=1))
    assert [k.title for k in digest.knowledge] == ["Voor docenten"]
    assert digest.item_count >= 1


def test_a_followed_theme_brings_its_new_items(editors, make_user, make_knowledge_item):
    anna, bram, _admin = editors
    member = make_user(sector="politie")
    tag = db.session.scalar(select(Tag).where(Tag.key == "gaming"))
    services.toggle_theme_follow(member, tag)
    db.session.commit()
    make_knowledge_item(anna, title="Gaming en extremisme", status="published", reviewer=bram,
                        theme_ids=(tag.id,))  # fmt: skip
    digest = compose_digest(member, utcnow() - timedelta(days=1), utcnow() + timedelta(seconds=1))
    assert [k.title for k in digest.knowledge] == ["Gaming en extremisme"]


def test_items_published_before_the_period_or_not_published_are_left_out(
    editors, make_user, make_knowledge_item
):
    anna, bram, _admin = editors
    teacher = make_user(sector="onderwijs")
    make_knowledge_item(anna, title="Concept", sector_ids=(_sector("onderwijs"),))
    make_knowledge_item(anna, title="Oud", status="published", reviewer=bram,
                        sector_ids=(_sector("onderwijs"),))  # fmt: skip
    later = utcnow() + timedelta(minutes=5)
    digest = compose_digest(teacher, later, later + timedelta(days=1))
    assert digest.knowledge == []


def test_the_digest_email_has_a_kennisbank_block_with_links(
    editors, make_user, make_knowledge_item
):
    from notifications.delivery import _digest_email

    anna, bram, _admin = editors
    teacher = make_user(sector="onderwijs")
    item = make_knowledge_item(anna, title="Voor docenten", status="published", reviewer=bram,
                               sector_ids=(_sector("onderwijs"),))  # fmt: skip
    digest = compose_digest(
        teacher, utcnow() - timedelta(days=7), utcnow() + timedelta(seconds=1),
        base_url="https://jep.example",
    )  # fmt: skip
    message = _digest_email(teacher, digest, "weekly:2026-W49", "https://jep.example")
    for body in (message.text_body, message.html_body):
        assert "Nieuw in de kennisbank" in body
        assert f"https://jep.example/kennisbank/{item.slug}" in body
