"""Demo preferences: weekly digests for some demo members, daily for one."""

from __future__ import annotations

from sqlalchemy import select

from auth.models import User
from core.extensions import db
from notifications.preferences import get_preferences


def seed_demo() -> list[tuple[str, str, str]]:
    """Idempotent: sets preferences of active demo members; adds no logins."""
    users = db.session.scalars(
        select(User).where(User.status == "active", User.email.is_not(None)).order_by(User.id)
    ).all()
    for index, user in enumerate(users):
        prefs = get_preferences(user)
        if index == 0:
            prefs.digest_frequency = "daily"
        elif index % 2 == 1:
            prefs.digest_frequency = "weekly"
    db.session.flush()
    return []
