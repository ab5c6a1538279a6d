"""Read side of the advice desk: the queue, a member's questions, the team's numbers.
Listings load what they show in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from statistics import median

from sqlalchemy import bindparam, case, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from advice.clock import ZONE
from advice.models import (
    URGENCIES,
    URGENCY_RANK,
    AdviceMessage,
    AdviceQuestion,
    SparringProposal,
)
from auth.models import User
from core.extensions import db
from core.taxonomy import Sector
from knowledge.models import KnowledgeItem


def queue_order():
    """Acute first, then urgent, then normal; within each, the earliest due first."""
    return (
        case(URGENCY_RANK, value=AdviceQuestion.urgency, else_=9),
        AdviceQuestion.due_at,
        AdviceQuestion.id,
    )


def _question_options():
    """Everything a question's page shows of its many-to-one neighbours, joined into the
    question's own query (one row each, so the join adds no rows)."""
    return (
        joinedload(AdviceQuestion.asker),
        joinedload(AdviceQuestion.adviser),
        joinedload(AdviceQuestion.partner),
        joinedload(AdviceQuestion.theme),
        joinedload(AdviceQuestion.sector),
        joinedload(AdviceQuestion.region),
    )


def queue(adviser: User, *, show: str = "mine") -> list[AdviceQuestion]:
    """Open questions for the queue: the adviser's own and unassigned ones (`show="all"`:
    every open question). One query: the sector, region and adviser it shows are joined."""
    stmt = (
        select(AdviceQuestion)
        .where(AdviceQuestion.status != "closed", AdviceQuestion.erased_at.is_(None))
        .options(
            joinedload(AdviceQuestion.sector),
            joinedload(AdviceQuestion.region),
            joinedload(AdviceQuestion.adviser),
        )
        .order_by(*queue_order())
    )
    if show != "all":
        stmt = stmt.where(
            or_(AdviceQuestion.adviser_id.is_(None), AdviceQuestion.adviser_id == adviser.id)
        )
    return list(db.session.scalars(stmt))


def my_questions(user: User) -> list[AdviceQuestion]:
    """Questions the member asked or joined as sparring partner, newest activity first.
    One query: the list shows the questions' own columns only."""
    return list(db.session.scalars(_my_questions_statement(), {"user_id": user.id}))


@cache
def _my_questions_statement():
    user_id = bindparam("user_id")
    return (
        select(AdviceQuestion)
        .where(
            or_(AdviceQuestion.asker_id == user_id, AdviceQuestion.partner_id == user_id),
            AdviceQuestion.erased_at.is_(None),
        )
        .order_by(AdviceQuestion.last_activity_at.desc(), AdviceQuestion.id.desc())
    )


def open_proposals(user: User) -> list[SparringProposal]:
    """Proposals waiting for this member's answer."""
    return list(db.session.scalars(_open_proposals_statement(), {"user_id": user.id}))


@cache
def _open_proposals_statement():
    return (
        select(SparringProposal)
        .join(AdviceQuestion, AdviceQuestion.id == SparringProposal.question_id)
        .where(
            SparringProposal.user_id == bindparam("user_id"),
            SparringProposal.status == "proposed",
            AdviceQuestion.status != "closed",
            AdviceQuestion.partner_id.is_(None),
        )
        .options(
            contains_eager(SparringProposal.question).options(
                joinedload(AdviceQuestion.theme),
                joinedload(AdviceQuestion.sector),
                joinedload(AdviceQuestion.region),
            )
        )
        .order_by(SparringProposal.created_at, SparringProposal.id)
    )


def get_question(question_id: int) -> AdviceQuestion | None:
    """The question with the people and terms its page shows (one query) and its
    messages with their authors (a second one)."""
    return db.session.scalar(
        select(AdviceQuestion)
        .where(AdviceQuestion.id == question_id)
        .options(
            *_question_options(),
            selectinload(AdviceQuestion.messages).joinedload(AdviceMessage.author),
        )
    )


def get_proposal(question_id: int, user: User) -> SparringProposal | None:
    return db.session.scalar(
        select(SparringProposal).where(
            SparringProposal.question_id == question_id, SparringProposal.user_id == user.id
        )
    )


def advisers() -> list[User]:
    """Active advisers and admins, for handing a question over."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.status == "active", User.role.in_(("adviser", "admin")))
            .order_by(User.display_name, User.id)
        )
    )


def faq_drafts() -> list[KnowledgeItem]:
    """The kennisbank items made from advice questions, newest first (editors rewrite,
    review and publish them in the kennisbank)."""
    return list(
        db.session.scalars(
            select(KnowledgeItem)
            .join(AdviceQuestion, AdviceQuestion.faq_item_id == KnowledgeItem.id)
            .options(selectinload(KnowledgeItem.themes))
            .order_by(KnowledgeItem.created_at.desc(), KnowledgeItem.id.desc())
        )
    )


# --- the team's numbers -------------------------------------------------------------------


@dataclass
class Figures:
    """Aggregates of a set of questions: never who, only how many and how fast."""

    asked: int = 0
    answered: int = 0
    answered_in_time: int = 0
    hours_to_first_answer: list[float] = field(default_factory=list)

    def add(self, created_at: datetime, due_at: datetime, first_answered_at: datetime | None):
        self.asked += 1
        if first_answered_at is not None:
            self.answered += 1
            self.answered_in_time += first_answered_at <= due_at
            self.hours_to_first_answer.append(
                (first_answered_at - created_at).total_seconds() / 3600
            )

    @property
    def median_hours(self) -> float | None:
        return median(self.hours_to_first_answer) if self.hours_to_first_answer else None


@dataclass
class MonthFigures:
    month: str  # YYYY-MM in Europe/Amsterdam
    total: Figures = field(default_factory=Figures)
    by_urgency: dict[str, Figures] = field(default_factory=dict)
    by_sector: dict[str, Figures] = field(default_factory=dict)


def team_numbers(since: datetime) -> list[MonthFigures]:
    """Per month (newest first): asked, answered in time and the median time to a first
    answer, in total, by urgency and by sector. Erased questions count too."""
    rows = db.session.execute(
        select(
            AdviceQuestion.created_at,
            AdviceQuestion.due_at,
            AdviceQuestion.first_answered_at,
            AdviceQuestion.urgency,
            Sector,
        )
        .outerjoin(Sector, Sector.id == AdviceQuestion.sector_id)
        .where(AdviceQuestion.created_at >= since)
    ).all()
    months: dict[str, MonthFigures] = {}
    for created_at, due, answered, urgency, sector in rows:
        key = created_at.astimezone(ZONE).strftime("%Y-%m")
        month = months.setdefault(key, MonthFigures(key))
        month.total.add(created_at, due, answered)
        month.by_urgency.setdefault(urgency, Figures()).add(created_at, due, answered)
        label = sector.label if sector is not None else "–"
        month.by_sector.setdefault(label, Figures()).add(created_at, due, answered)
    for month in months.values():
        month.by_urgency = {u: month.by_urgency[u] for u in URGENCIES if u in month.by_urgency}
        month.by_sector = dict(sorted(month.by_sector.items()))
    return [months[key] for key in sorted(months, reverse=True)]
