"""Kennisbank: curated items (interventions, guidance, background, FAQs, instruments),
their versions, slug redirects, references from posts and events, consent of quoted
authors and followed themes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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

KINDS = ("interventie", "handreiking", "achtergrond", "faq", "instrument")
STATUSES = ("draft", "review", "published", "archived")
#: The Erkenningscommissie Interventies' grades, plus "not assessed".
EVIDENCE_LEVELS = (
    "goed-beschreven",
    "goed-onderbouwd",
    "effectief-eerste",
    "effectief-goede",
    "effectief-sterke",
    "niet-beoordeeld",
)
#: The RAN practice collection's approaches.
APPROACHES = (
    "training-professionals",
    "gezinsondersteuning",
    "jongerenwerk-onderwijs",
    "exit",
    "gemeenschap",
    "communicatie-narratieven",
    "ggz",
)
CONSENT_STATUSES = ("pending", "granted", "refused", "removed")
REFERENCE_SOURCES = ("post", "event")
#: The structured fields of an intervention, in display order (all plain text).
INTERVENTION_FIELDS = (
    "goal",
    "target_group",
    "method",
    "rationale",
    "delivery",
    "provider",
    "costs",
    "sources",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _link_table(name: str, target: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column("item_id", ForeignKey("knowledge_items.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{target}_id", ForeignKey(f"{target}s.id", ondelete="CASCADE"), primary_key=True),
    )


item_tags = _link_table("knowledge_item_tags", "tag")
item_sectors = _link_table("knowledge_item_sectors", "sector")
item_regions = _link_table("knowledge_item_regions", "region")
item_authors = _link_table("knowledge_item_authors", "user")


class KnowledgeItem(db.Model):
    __tablename__ = "knowledge_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    is_members_only: Mapped[bool] = mapped_column(default=False)
    # Interventions only (NJi databank fields); empty for other kinds.
    evidence_level: Mapped[str | None] = mapped_column(String(30), index=True)
    approach: Mapped[str | None] = mapped_column(String(40))
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    goal: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    delivery: Mapped[str] = mapped_column(Text, default="")
    provider: Mapped[str] = mapped_column(Text, default="")
    costs: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[str] = mapped_column(Text, default="")
    # An editor ticked "I checked that this is not traceable" over a privacy warning.
    privacy_override: Mapped[bool] = mapped_column(default=False)
    # The FAQ draft was made from this thread (no FK: the item outlives the thread).
    source_thread_id: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who last changed the content (and so may not publish it: four eyes).
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    last_reviewed_on: Mapped[date | None]

    themes: Mapped[list[Tag]] = relationship(secondary=item_tags, order_by=Tag.position)
    sectors: Mapped[list[Sector]] = relationship(secondary=item_sectors, order_by=Sector.position)
    regions: Mapped[list[Region]] = relationship(secondary=item_regions, order_by=Region.position)
    authors: Mapped[list[User]] = relationship(secondary=item_authors, order_by=User.id)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(
            "evidence_level IS NULL OR " + _in("evidence_level", EVIDENCE_LEVELS),
            name="evidence_level",
        ),
        CheckConstraint("approach IS NULL OR " + _in("approach", APPROACHES), name="approach"),
        CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max", name="age_range"
        ),
        CheckConstraint(
            "status NOT IN ('published', 'archived') OR published_at IS NOT NULL",
            name="published_at",
        ),
        Index("ix_knowledge_items_status_published_at", "status", "published_at"),
    )

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def is_intervention(self) -> bool:
        return self.kind == "interventie"


class KnowledgeVersion(db.Model):
    """Every saved state of an item: the history with diffs."""

    __tablename__ = "knowledge_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("knowledge_items.id", ondelete="CASCADE"))
    number: Mapped[int]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body_source: Mapped[str] = mapped_column(Text, default="")
    # The structured fields and facets as they were (plain values, for the diff).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    editor: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("item_id", "number"),)


class KnowledgeSlugRedirect(db.Model):
    """An earlier slug of a renamed item: old links keep working."""

    __tablename__ = "knowledge_slug_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_items.id", ondelete="CASCADE"), index=True
    )


class KnowledgeReference(db.Model):
    """A post or an event description that links to an item."""

    __tablename__ = "knowledge_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("knowledge_items.id", ondelete="CASCADE"))
    source_type: Mapped[str] = mapped_column(String(10))
    # No FK: the source lives in another feature's table and may be deleted there.
    source_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("item_id", "source_type", "source_id"),
        CheckConstraint(_in("source_type", REFERENCE_SOURCES), name="source_type"),
        Index("ix_knowledge_references_source", "source_type", "source_id"),
    )


class KnowledgeConsent(db.Model):
    """Consent of a member quoted in a FAQ draft. Publishing waits for all of them."""

    __tablename__ = "knowledge_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("knowledge_items.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    # The quoted text as it went into the draft, to check that a removal really happened.
    quoted_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    item: Mapped[KnowledgeItem] = relationship()
    user: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("item_id", "post_id"),
        CheckConstraint(_in("status", CONSENT_STATUSES), name="status"),
    )

    @property
    def is_blocking(self) -> bool:
        return self.status in {"pending", "refused"}


class KnowledgeThemeFollow(db.Model):
    """A member follows a theme: new items on it appear in their digest."""

    __tablename__ = "knowledge_theme_follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))

    __table_args__ = (UniqueConstraint("user_id", "tag_id"),)


class KnowledgeReadCount(db.Model):
    """How often members of a region opened a published item on a day: an aggregate
    only. No member id, no sector, no time of day: nothing here says who read what.
    Incremented by `knowledge.reads.record_read` (one upsert); read by insight's rollups."""

    __tablename__ = "knowledge_read_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("knowledge_items.id", ondelete="CASCADE"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("item_id", "region_id", "day"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )
