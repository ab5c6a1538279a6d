"""Matching sparring partners: theme first, then sector, then region; never the asker's
own organisation; up to three; the first acceptance wins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from advice import policies, sparring
from advice.models import SparringProposal
from core.extensions import db
from core.taxonomy import Region, Sector, Tag
from tests.conftest import term


@pytest.fixture
def member_of(make_user):
    """A member of an organisation: `member_of("Regio", "Gemeente X")` or `member_of("Gemeente X")`."""

    def factory(*args):
        name, organisation = (None, *args) if len(args) == 1 else args
        user = make_user(name)
        user.organisation = organisation
        db.session.commit()
        return user

    return factory


def _join(user, *, themes=(), sectors=(), regions=()):
    sparring.save_partner(
        user,
        theme_ids=[term(Tag, key).id for key in themes],
        sector_ids=[term(Sector, key).id for key in sectors],
        region_ids=[term(Region, key).id for key in regions],
        availability="maandelijks",
    )
    db.session.commit()


def _ids(model, *keys):
    return [term(model, key).id for key in keys]


def _question_fields(theme, sector, region):
    return {
        "kind": "sparringpartner",
        "theme_id": term(Tag, theme).id,
        "sector_id": term(Sector, sector).id,
        "region_id": term(Region, region).id,
    }


def test_theme_outranks_sector_which_outranks_region(app, member_of, ask_advice):
    theme, other_theme = (t.key for t in db.session.scalars(select(Tag).limit(2)))
    sector, region = "politie", "twente"
    by_region = member_of("Regio", "A")
    by_sector = member_of("Sector", "B")
    by_theme = member_of("Thema", "C")
    by_nothing = member_of("Niets", "D")
    _join(by_region, regions=[region])
    _join(by_sector, sectors=[sector], regions=[region])
    _join(by_theme, themes=[theme])
    _join(by_nothing, themes=[other_theme])
    asker = member_of("E")
    question = ask_advice(asker, **_question_fields(theme, sector, region))
    proposed = [p.user_id for p in question.proposals]
    assert proposed == [by_theme.id, by_sector.id, by_region.id]


def test_nobody_from_the_askers_organisation_is_proposed(app, member_of, ask_advice):
    theme = db.session.scalars(select(Tag)).first().key
    colleague = member_of("  Gemeente  Utrecht ")
    outsider = member_of("Politie Midden-Nederland")
    _join(colleague, themes=[theme])
    _join(outsider, themes=[theme])
    asker = member_of("gemeente utrecht")
    _join(asker, themes=[theme])
    question = ask_advice(asker, **_question_fields(theme, "politie", "utrecht"))
    assert [p.user_id for p in question.proposals] == [outsider.id]


def test_at_most_three_are_proposed_and_a_decline_proposes_the_next(app, member_of, ask_advice):
    theme = db.session.scalars(select(Tag)).first().key
    partners = [member_of(f"Org {n}") for n in range(5)]
    for partner in partners:
        _join(partner, themes=[theme])
    question = ask_advice(member_of("Eigen"), **_question_fields(theme, "politie", "utrecht"))
    first_three = [p.user_id for p in question.proposals]
    assert first_three == [p.id for p in partners[:3]]
    proposal = question.proposals[0]
    new = sparring.decline_proposal(proposal, partners[0])
    db.session.commit()
    assert [p.user_id for p in new] == [partners[3].id]
    assert proposal.status == "declined"


def test_the_first_acceptance_wins_and_the_partner_joins_the_conversation(
    app, member_of, ask_advice
):
    theme = db.session.scalars(select(Tag)).first().key
    a, b = member_of("A"), member_of("B")
    _join(a, themes=[theme])
    _join(b, themes=[theme])
    question = ask_advice(member_of("C"), **_question_fields(theme, "politie", "utrecht"))
    first, second = question.proposals
    assert sparring.accept_proposal(first, a) is True
    db.session.commit()
    assert not policies.can_answer_proposal(b, second)
    assert sparring.accept_proposal(second, b) is False
    assert question.partner_id == a.id
    assert policies.can_read_question(a, question)
    assert not policies.can_read_question(b, question)
    statuses = dict(
        db.session.execute(select(SparringProposal.user_id, SparringProposal.status)).all()
    )
    assert statuses == {a.id: "accepted", b.id: "withdrawn"}


def test_leaving_the_pool_withdraws_open_proposals(app, member_of, ask_advice):
    theme = db.session.scalars(select(Tag)).first().key
    partner = member_of("A")
    _join(partner, themes=[theme])
    question = ask_advice(member_of("B"), **_question_fields(theme, "politie", "utrecht"))
    sparring.leave_pool(partner)
    db.session.commit()
    db.session.refresh(question.proposals[0])
    assert question.proposals[0].status == "withdrawn"
    assert sparring.partner_for(partner) is None
