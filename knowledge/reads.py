"""Counting reads of kennisbank items by members, as an aggregate only.

When a signed-in member with a region opens a published item, one row
(item, region, day) in `knowledge_read_counts` goes up by one (an upsert). The database
never learns which member read what: there is no member id, sector or time in the row.

Once per member, item and day: the ids of the items a member already counted today are
kept in their own signed session cookie (`SESSION_KEY`), which resets when the UTC day
changes. The server stores nothing per member; the price is that a member who clears
cookies or switches browser may count twice on a day (an over-count of at most a few,
and the page shows no figure under five anyway). Past `MAX_PER_DAY` items in a day the
cookie stops growing and further reads that day are not counted (an under-count for
the very heaviest readers, never a double count).
"""

from __future__ import annotations

from datetime import date

from flask import session

from auth.policies import can_use_member_area
from core.db import upsert_insert, utcnow
from core.extensions import db
from knowledge.models import KnowledgeItem, KnowledgeReadCount

SESSION_KEY = "kb_reads"
MAX_PER_DAY = 100


def _already_counted(item_id: int, today: date) -> bool:
    """Whether this browser session counted the item today; remembers it if not (and
    if there is room). True also means "do not count"."""
    seen = session.get(SESSION_KEY)
    if not isinstance(seen, dict) or seen.get("day") != today.isoformat():
        seen = {"day": today.isoformat(), "ids": []}
    ids = list(seen.get("ids") or [])
    if item_id in ids or len(ids) >= MAX_PER_DAY:
        return True
    session[SESSION_KEY] = {"day": today.isoformat(), "ids": [*ids, item_id]}
    return False


def increment(item_id: int, region_id: int, day: date) -> None:
    """Add one read to the (item, region, day) count, whatever the concurrency."""
    table = KnowledgeReadCount.__table__
    insert = upsert_insert(db.session.get_bind().dialect.name)
    stmt = insert(table).values(item_id=item_id, region_id=region_id, day=day, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["item_id", "region_id", "day"], set_={"count": table.c.count + 1}
    )
    db.session.execute(stmt)


def record_read(item: KnowledgeItem, user, *, today: date | None = None) -> bool:
    """Count `user` reading `item` (in a request: uses the session). Only published items
    and approved members with a region count. Returns whether a read was added; flushes
    nothing else, never commits."""
    if not item.is_published or not can_use_member_area(user) or user.region_id is None:
        return False
    today = today or utcnow().date()
    if _already_counted(item.id, today):
        return False
    increment(item.id, user.region_id, today)
    return True
