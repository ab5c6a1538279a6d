"""`flask seed demo`'s kennisbank: realistic, all kinds, idempotent, anonymous."""

from __future__ import annotations

from sqlalchemy import func, select

from core.extensions import db
from core.privacy.guard import scan_text
from knowledge.demo import seed_demo
from knowledge.models import KINDS, KnowledgeItem


def test_the_demo_kennisbank_covers_every_kind_and_several_recognition_levels(app):
    logins = seed_demo()
    db.session.commit()
    total = db.session.scalar(select(func.count(KnowledgeItem.id)))
    assert seed_demo() == logins
    db.session.commit()
    assert db.session.scalar(select(func.count(KnowledgeItem.id))) == total
    items = list(db.session.scalars(select(KnowledgeItem)))
    published = [i for i in items if i.status == "published"]
    assert len(published) >= 12
    assert {i.kind for i in published} == set(KINDS)
    levels = {i.evidence_level for i in published if i.kind == "interventie"}
    assert len(levels) >= 4
    assert {i.status for i in items} >= {"draft", "review", "published"}
    assert any(i.is_members_only for i in published)
    assert {role for _e, _p, role in logins} == {"editor (kennisredacteur)"}
    assert all(i.published_by_id != i.changed_by_id for i in published)
    for item in items:
        assert not scan_text(item.title + "\n" + item.summary + "\n" + item.body_source).findings
    card_item = next(i for i in items if i.slug == "signalen-duiden-in-vijf-stappen")
    assert 'class="knowledge-card"' in card_item.body_html
