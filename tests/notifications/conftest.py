"""Helpers for notification tests (the factories are in tests/factories.py)."""

from __future__ import annotations

from core.extensions import db


def sector_ids(count: int) -> list[int]:
    from sqlalchemy import select

    from core.taxonomy import Sector

    return list(db.session.scalars(select(Sector.id).order_by(Sector.position).limit(count)))
