"""The sparring pool: members who offer their experience, and matching them to questions.

Matching ranks the available partners by what they share with the question: the theme
first, then the sector, then the region (a partner with the right theme in another
sector comes before one with the right sector only). Never proposed: the asker, someone
from the asker's own organisation, inactive accounts. Ties go to whoever has the fewest
open conversations, then to whoever joined the pool first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import selectinload

from advice.errors import AdviceError
from advice.models import AVAILABILITIES, AdviceQuestion, SparringPartner, SparringProposal
from advice.notices import question_path, tell
from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.taxonomy import Region, Sector, Tag

MAX_PROPOSALS = 3


def _terms(model, ids: Iterable[int]) -> list:
    ids = {int(i) for i in ids if i}
    if not ids:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


def save_partner(
    user: User,
    *,
    theme_ids: Iterable[int],
    sector_ids: Iterable[int],
    region_ids: Iterable[int],
    availability: str,
    is_available: bool = True,
) -> SparringPartner:
    """Join the pool or change what one offers. Flushes."""
    if availability not in AVAILABILITIES:
        raise AdviceError("unknown availability")
    partner = partner_for(user) or SparringPartner(user_id=user.id)
    partner.availability = availability
    partner.is_available = is_available
    partner.themes = _terms(Tag, theme_ids)
    partner.sectors = _terms(Sector, sector_ids)
    partner.regions = _terms(Region, region_ids)
    db.session.add(partner)
    db.session.flush()
    return partner


def partner_for(user: User) -> SparringPartner | None:
    return db.session.scalar(_partner_statement(), {"user_id": user.id})


@cache
def _partner_statement():
    return select(SparringPartner).where(SparringPartner.user_id == bindparam("user_id"))


def leave_pool(user: User) -> None:
    """Leave the pool; proposals not yet answered are withdrawn. Flushes."""
    partner = partner_for(user)
    if partner is not None:
        db.session.delete(partner)
    db.session.execute(
        update(SparringProposal)
        .where(SparringProposal.user_id == user.id, SparringProposal.status == "proposed")
        .values(status="withdrawn")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def _same_organisation(a: str | None, b: str | None) -> bool:
    a, b = " ".join((a or "").split()).casefold(), " ".join((b or "").split()).casefold()
    return bool(a) and a == b


def match_partners(
    question: AdviceQuestion, *, limit: int = MAX_PROPOSALS, exclude_user_ids: Iterable[int] = ()
) -> list[User]:
    """The best `limit` partners for the question, best first (see the module docstring).
    A partner who shares nothing with the question is not proposed."""
    asker = question.asker
    excluded = set(exclude_user_ids) | {question.asker_id}
    open_counts = dict(
        db.session.execute(
            select(AdviceQuestion.partner_id, func.count())
            .where(AdviceQuestion.partner_id.is_not(None), AdviceQuestion.status != "closed")
            .group_by(AdviceQuestion.partner_id)
        ).all()
    )
    partners = db.session.scalars(
        select(SparringPartner)
        .join(User, User.id == SparringPartner.user_id)
        .where(SparringPartner.is_available.is_(True), User.status == "active")
        .options(
            selectinload(SparringPartner.user),
            selectinload(SparringPartner.themes),
            selectinload(SparringPartner.sectors),
            selectinload(SparringPartner.regions),
        )
    )
    ranked = []
    for partner in partners:
        if partner.user_id in excluded:
            continue
        if asker is not None and _same_organisation(partner.user.organisation, asker.organisation):
            continue
        score = (
            question.theme_id is not None and question.theme_id in {t.id for t in partner.themes},
            question.sector_id is not None
            and question.sector_id in {s.id for s in partner.sectors},
            question.region_id is not None
            and question.region_id in {r.id for r in partner.regions},
        )
        if not any(score):
            continue
        ranked.append(
            (
                (*(not s for s in score), open_counts.get(partner.user_id, 0), partner.id),
                partner.user,
            )
        )
    ranked.sort(key=lambda item: item[0])
    return [user for _key, user in ranked[:limit]]


def propose_partners(
    question: AdviceQuestion, *, now: datetime | None = None
) -> list[SparringProposal]:
    """Top the question's open proposals up to three and tell the proposed partners.
    Nobody is proposed twice for the same question. Flushes."""
    if question.is_closed or question.partner_id is not None:
        return []
    existing = list(
        db.session.scalars(
            select(SparringProposal).where(SparringProposal.question_id == question.id)
        )
    )
    still_open = [p for p in existing if p.status == "proposed"]
    wanted = MAX_PROPOSALS - len(still_open)
    if wanted <= 0:
        return []
    users = match_partners(question, limit=wanted, exclude_user_ids={p.user_id for p in existing})
    now = now or utcnow()
    next_rank = max((p.rank for p in existing), default=0) + 1
    created = []
    for offset, user in enumerate(users):
        proposal = SparringProposal(
            question_id=question.id, user_id=user.id, rank=next_rank + offset, created_at=now
        )
        db.session.add(proposal)
        created.append(proposal)
    db.session.flush()
    for proposal in created:
        tell(
            db.session.get(User, proposal.user_id),
            lambda: _("Een collega zoekt een sparringpartner"),
            "/advies",
        )
    return created


def accept_proposal(proposal: SparringProposal, user: User, *, now: datetime | None = None) -> bool:
    """The partner accepts: they join the question's conversation. Only the first
    acceptance wins (a conditional UPDATE); the other proposals are withdrawn."""
    now = now or utcnow()
    question = proposal.question
    result = db.session.execute(
        update(AdviceQuestion)
        .where(
            AdviceQuestion.id == question.id,
            AdviceQuestion.partner_id.is_(None),
            AdviceQuestion.status != "closed",
        )
        .values(partner_id=user.id, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    proposal.status = "accepted"
    proposal.answered_at = now
    db.session.execute(
        update(SparringProposal)
        .where(
            SparringProposal.question_id == question.id,
            SparringProposal.id != proposal.id,
            SparringProposal.status == "proposed",
        )
        .values(status="withdrawn")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.refresh(question)
    subject = question.subject
    tell(
        question.asker,
        lambda: _("Een sparringpartner denkt mee over „%(subject)s”", subject=subject),
        question_path(question.id),
        actor=user,
    )
    return True


def decline_proposal(
    proposal: SparringProposal, user: User, *, now: datetime | None = None
) -> list[SparringProposal]:
    """The partner declines; the next best partner is proposed in their place."""
    now = now or utcnow()
    proposal.status = "declined"
    proposal.answered_at = now
    db.session.flush()
    return propose_partners(proposal.question, now=now)
