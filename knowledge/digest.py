"""The digest block "Nieuw in de kennisbank": items published in a member's period that
match their sector or a theme they follow. Called by the notifications feature for a
whole batch of members (two queries, whatever the batch size)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from knowledge.models import KnowledgeItem, KnowledgeThemeFollow

LIMIT = 5


@dataclass(frozen=True)
class DigestKnowledgeItem:
    item_id: int
    title: str
    kind: str
    summary: str
    url: str
    published_at: datetime


def new_items_for(
    members: list, starts: dict[int, datetime], end: datetime, *, base_url: str = ""
) -> dict[int, list[DigestKnowledgeItem]]:
    """For each member, up to LIMIT items published in [start, end) on their sector or a
    followed theme, newest first."""
    result: dict[int, list[DigestKnowledgeItem]] = {m.id: [] for m in members}
    if not members:
        return result
    earliest = min(starts[m.id] for m in members)
    items = list(
        db.session.scalars(
            select(KnowledgeItem)
            .where(
                KnowledgeItem.status == "published",
                KnowledgeItem.published_at >= earliest,
                KnowledgeItem.published_at < end,
            )
            .options(selectinload(KnowledgeItem.themes), selectinload(KnowledgeItem.sectors))
            .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
            .limit(200)
        )
    )
    if not items:
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
        for item in items:
            if len(result[member.id]) >= LIMIT:
                break
            if item.published_at < starts[member.id]:
                continue
            on_sector = any(s.id == member.sector_id for s in item.sectors)
            if on_sector or themes & {t.id for t in item.themes}:
                result[member.id].append(
                    DigestKnowledgeItem(
                        item_id=item.id,
                        title=item.title,
                        kind=item.kind,
                        summary=item.summary,
                        url=f"{base_url}/kennisbank/{item.slug}",
                        published_at=item.published_at,
                    )
                )
    return result
