"""`flask seed demo`: index the demo content (the demo writes rows directly, so this
runs last among the demos that add searchable content)."""

from __future__ import annotations

from core.extensions import db
from search.index import rebuild_index


def seed_demo() -> list[tuple[str, str, str]]:
    rebuild_index(db.session.connection())
    return []
