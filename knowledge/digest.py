"""The digest block "Nieuw in de kennisbank": items published in a member's period that
match their sector or a theme they follow.

Two steps like the rest of the digest (notifications/digest.py): `load_new_items` once
per digest run (two queries), `pick_for_members` per batch of members (one query for
their followed themes, none when nothing was published).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select, union_all

from core.extensions import db
from knowledge.models import KnowledgeItem, KnowledgeThemeFollow, item_sectors, item_tags

LIMIT = 5


@dataclass(frozen=True)
class CandidateItem:
    id: int
    slug: str
    title: str
    kind: str
    summary: str
    published_at: datetime
    theme_ids: frozenset[int]
    sector_ids: frozenset[int]


@dataclass(frozen=True)
class DigestKnowledgeItem:
    item_id: int
    title: str
    kind: str
    summary: str
    url: str
    published_at: datetime


def load_new_items(since: datetime, until: datetime) -> list[CandidateItem]:
    """Items published in [since, until), newest first, with their themes and sectors."""
    rows = db.session.execute(
        select(
            KnowledgeItem.id, KnowledgeItem.slug, KnowledgeItem.title, KnowledgeItem.kind,
            KnowledgeItem.summary, KnowledgeItem.published_at,
        )
        .where(
            KnowledgeItem.status == "published",
            KnowledgeItem.published_at >= since,
            KnowledgeItem.published_at < until,
        )
        .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
        .limit(200)
    ).all()  # fmt: skip
    if not rows:
        return []
    ids = [row.id for row in rows]
    links: dict[tuple[str, int], set[int]] = {}
    for kind, item_id, term_id in db.session.execute(
        union_all(
            select(literal("theme"), item_tags.c.item_id, item_tags.c.tag_id).where(
                item_tags.c.item_id.in_(ids)
            ),
            select(literal("sector"), item_sectors.c.item_id, item_sectors.c.sector_id).where(
                item_sectors.c.item_id.in_(ids)
            ),
        )
    ):
        links.setdefault((kind, item_id), set()).add(term_id)
    return [
        CandidateItem(
            id=row.id,
            slug=row.slug,
            title=row.title,
            kind=row.kind,
            summary=row.summary,
            published_at=row.published_at,
            theme_ids=frozenset(links.get(("theme", row.id), ())),
            sector_ids=frozenset(links.get(("sector", row.id), ())),
        )
        for row in rows
    ]


def pick_for_members(
    members: list, starts: dict[int, datetime], items: list[CandidateItem], *, base_url: str = ""
) -> dict[int, list[DigestKnowledgeItem]]:
    """For each member, up to LIMIT of `items` published since their period's start on
    their sector or a theme they follow, newest first."""
    result: dict[int, list[DigestKnowledgeItem]] = {m.id: [] for m in members}
    if not members or not items:
        return result
    follows: dict[int, set[int]] = {}
    for user_id, tag_id in db.session.execute(
        select(KnowledgeThemeFollow.user_id, KnowledgeThemeFollow.tag_id).where(
            KnowledgeThemeFollow.user_id.in_([m.id for m in members])
        )
    ):
        follows.setdefault(user_id, set()).add(tag_id)
    for member in members:
        themes = follows.get(member.id, set())
        chosen = [
            item
            for item in items
            if item.published_at >= starts[member.id]
            and (member.sector_id in item.sector_ids or themes & item.theme_ids)
        ]
        result[member.id] = [
            DigestKnowledgeItem(
                item_id=item.id,
                title=item.title,
                kind=item.kind,
                summary=item.summary,
                url=f"{base_url}/kennisbank/{item.slug}",
                published_at=item.published_at,
            )
            for item in chosen[:LIMIT]
        ]
    return result
