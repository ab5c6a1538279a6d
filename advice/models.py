"""Advice questions, their private conversation and the sparring pool.

After the retention period (or the asker's account deletion) a question keeps only
anonymous numbers: urgency, kind, sector, and the times it was asked, due, first answered
and closed. Its text, its messages, the asker and the people who answered are erased.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region, Sector, Tag
from knowledge.models import KnowledgeItem

URGENCIES = ("normaal", "spoed", "acuut")
#: Order in the queue: acute first.
URGENCY_RANK = {"acuut": 0, "spoed": 1, "normaal": 2}
KINDS = ("adviseur", "sparringpartner")
STATUSES = ("open", "answered", "closed")
OUTCOMES = ("beantwoord", "doorverwezen", "geen_reactie", "anders")
RATINGS = ("helped", "not_helped")
AVAILABILITIES = ("wekelijks", "maandelijks", "af_en_toe")
PROPOSAL_STATUSES = ("proposed", "accepted", "declined", "withdrawn")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AdviceQuestion(db.Model):
    __tablename__ = "advice_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # NULL once erased (retention or account deletion).
    subject: Mapped[str | None] = mapped_column(String(150))
    body_source: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(10), default="normaal")
    kind: Mapped[str] = mapped_column(String(20), default="adviseur")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id", ondelete="SET NULL"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id", ondelete="SET NULL"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    privacy_override: Mapped[bool] = mapped_column(default=False)
    adviser_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The accepted sparring partner; set once, by a conditional UPDATE.
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    first_answered_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    rating: Mapped[str | None] = mapped_column(String(12))
    faq_consent: Mapped[bool] = mapped_column(default=False)
    # The kennisbank FAQ draft made from this question (anonymised; it outlives the text).
    faq_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("knowledge_items.id", ondelete="SET NULL")
    )
    reminder_sent_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    asker: Mapped[User | None] = relationship(foreign_keys=[asker_id])
    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id])
    partner: Mapped[User | None] = relationship(foreign_keys=[partner_id])
    theme: Mapped[Tag | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    region: Mapped[Region | None] = relationship()
    faq_item: Mapped[KnowledgeItem | None] = relationship()
    messages: Mapped[list[AdviceMessage]] = relationship(
        back_populates="question",
        order_by="AdviceMessage.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    proposals: Mapped[list[SparringProposal]] = relationship(
        back_populates="question",
        order_by="SparringProposal.rank",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint(_in("urgency", URGENCIES), name="urgency"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="outcome"),
        CheckConstraint(f"rating IS NULL OR {_in('rating', RATINGS)}", name="rating"),
        CheckConstraint("rating IS NULL OR status = 'closed'", name="rated_when_closed"),
        Index("ix_advice_questions_status_due_at", "status", "due_at"),
        Index("ix_advice_questions_created_at", "created_at"),
    )

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_waiting_for_first_answer(self) -> bool:
        return self.first_answered_at is None and not self.is_closed

    def is_late(self, now: datetime) -> bool:
        return self.is_waiting_for_first_answer and now > self.due_at

    def is_due_within(self, now: datetime, seconds: float) -> bool:
        return (
            self.is_waiting_for_first_answer
            and not self.is_late(now)
            and (self.due_at - now).total_seconds() <= seconds
        )


class AdviceMessage(db.Model):
    """One message in a question's private conversation; `is_internal` notes are for
    advisers only."""

    __tablename__ = "advice_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("advice_questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    is_internal: Mapped[bool] = mapped_column(default=False)
    privacy_override: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    question: Mapped[AdviceQuestion] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


partner_themes = Table(
    "advice_partner_themes",
    db.metadata,
    Column("partner_id", ForeignKey("advice_partners.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)
partner_sectors = Table(
    "advice_partner_sectors",
    db.metadata,
    Column("partner_id", ForeignKey("advice_partners.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id", ondelete="CASCADE"), primary_key=True),
)
partner_regions = Table(
    "advice_partner_regions",
    db.metadata,
    Column("partner_id", ForeignKey("advice_partners.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


class SparringPartner(db.Model):
    """A member in the sparring pool: what they know about and how often they have time."""

    __tablename__ = "advice_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    availability: Mapped[str] = mapped_column(String(12), default="maandelijks")
    is_available: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    themes: Mapped[list[Tag]] = relationship(secondary=partner_themes, order_by=Tag.position)
    sectors: Mapped[list[Sector]] = relationship(
        secondary=partner_sectors, order_by=Sector.position
    )
    regions: Mapped[list[Region]] = relationship(
        secondary=partner_regions, order_by=Region.position
    )

    __table_args__ = (CheckConstraint(_in("availability", AVAILABILITIES), name="availability"),)


class SparringProposal(db.Model):
    """A proposed match between a question and a sparring partner."""

    __tablename__ = "advice_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("advice_questions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    question: Mapped[AdviceQuestion] = relationship(back_populates="proposals")
    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(_in("status", PROPOSAL_STATUSES), name="status"),
        UniqueConstraint("question_id", "user_id"),
    )
