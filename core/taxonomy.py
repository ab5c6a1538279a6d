"""Reference data seeded from core/taxonomy/*.csv: regions, sectors, functions, tags,
event types. Labels exist in Dutch and English; `label` picks the active language."""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.i18n import current_language

TAXONOMY_DIR = Path(__file__).parent / "taxonomy"


class _Term:
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def label(self) -> str:
        return self.name_en if current_language() == "en" else self.name_nl

    def __str__(self) -> str:
        return self.label


class Region(_Term, db.Model):
    __tablename__ = "regions"
    province: Mapped[str] = mapped_column(String(120), default="")
    police_unit: Mapped[str] = mapped_column(String(120), default="")


class Sector(_Term, db.Model):
    __tablename__ = "sectors"
    cluster: Mapped[str] = mapped_column(String(120), default="")


class Function(_Term, db.Model):
    __tablename__ = "functions"


class Tag(_Term, db.Model):
    __tablename__ = "tags"
    family: Mapped[str] = mapped_column(String(120), default="")


class EventType(_Term, db.Model):
    __tablename__ = "event_types"
    typical: Mapped[str] = mapped_column(String(200), default="")


TERM_FILES = {
    Region: "regions.csv",
    Sector: "sectors.csv",
    Function: "functions.csv",
    Tag: "tags.csv",
    EventType: "event_types.csv",
}


def load_taxonomy() -> dict[str, int]:
    """Insert or update every term from the CSV files (idempotent). Flushes only."""
    counts: dict[str, int] = {}
    for model, filename in TERM_FILES.items():
        with (TAXONOMY_DIR / filename).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        existing = {term.key: term for term in db.session.scalars(select(model))}
        columns = set(model.__table__.columns.keys())
        for position, row in enumerate(rows):
            values = {k: v for k, v in row.items() if k in columns}
            term = existing.get(row["key"]) or model(key=row["key"])
            for name, value in values.items():
                setattr(term, name, value)
            term.position = position
            db.session.add(term)
        counts[model.__tablename__] = len(rows)
    db.session.flush()
    return counts


def terms(model) -> list:
    """All terms of one kind in their file order (for select fields)."""
    return list(db.session.scalars(select(model).order_by(model.position)))


#: How long a process keeps its copy of the terms (they change only when the taxonomy
#: is seeded again).
TERM_CACHE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class TermLabel:
    """A term as read-only values, kept between requests (no session attached)."""

    id: int
    key: str
    name_nl: str
    name_en: str
    position: int

    @property
    def label(self) -> str:
        return self.name_en if current_language() == "en" else self.name_nl

    def __str__(self) -> str:
        return self.label


def term_labels(model) -> dict[int, TermLabel]:
    """All terms of one kind by id, from this app's per-process copy (one statement per
    kind a minute at most): for pages that only show a term's name."""
    cache = current_app.extensions.setdefault("term_labels", {})
    expires, labels = cache.get(model, (0.0, None))
    if labels is None or time.monotonic() > expires:
        labels = {
            term.id: TermLabel(term.id, term.key, term.name_nl, term.name_en, term.position)
            for term in db.session.scalars(select(model))
        }
        cache[model] = (time.monotonic() + TERM_CACHE_SECONDS, labels)
    return labels


def ordered_term_labels(model) -> list[TermLabel]:
    """`term_labels` in the terms' file order (for filters and facets)."""
    return sorted(term_labels(model).values(), key=lambda term: term.position)
