"""`flask seed demo` for the advice desk: an adviser, partners and anonymous questions."""

from __future__ import annotations

from sqlalchemy import func, select

from advice.demo import ADVISER_EMAIL
from advice.demo import seed_demo as seed_advice
from advice.models import AdviceMessage, AdviceQuestion, SparringPartner
from core.extensions import db
from core.privacy.guard import scan_text
from groups.demo import seed_demo as seed_groups


def _counts():
    return [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (AdviceQuestion, AdviceMessage, SparringPartner)
    ]


def test_the_advice_demo_is_idempotent_anonymous_and_has_an_adviser(app):
    seed_groups()
    logins = seed_advice()
    db.session.commit()
    counts = _counts()
    assert seed_advice() == logins
    db.session.commit()
    assert _counts() == counts
    assert logins[0][0] == ADVISER_EMAIL
    assert counts[0] >= 4
    assert counts[2] >= 3
    kinds = set(db.session.scalars(select(AdviceQuestion.status)))
    assert kinds == {"open", "answered", "closed"}
    assert db.session.scalar(select(func.count()).where(AdviceQuestion.partner_id.is_not(None)))
    texts = [q.body_source for q in db.session.scalars(select(AdviceQuestion))]
    texts += [m.body_source for m in db.session.scalars(select(AdviceMessage))]
    assert not [text for text in texts if scan_text(text).findings]
