"""API fixtures: tokens for members, scheduled events, and the Authorization header."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db

_n = itertools.count(1)


@pytest.fixture
def issue_token(app):
    """`issue_token(user, write=False)`: a live token's secret for `user`."""
    from api.services import create_token

    def factory(user, *, write: bool = False, lifetime_days: int = 30) -> str:
        created = create_token(user, f"sleutel {next(_n)}", write=write,
                               lifetime_days=lifetime_days)  # fmt: skip
        db.session.commit()
        return created.secret

    return factory


@pytest.fixture
def schedule_event(app):
    """`schedule_event(group, days=3, **fields)`: a scheduled event row."""
    from events.models import Event

    def factory(group, *, days: float = 3, **fields):
        start = utcnow().replace(microsecond=0) + timedelta(days=days)
        event = Event(
            group_id=group.id,
            title=fields.pop("title", f"Bijeenkomst {next(_n)}"),
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            location=fields.pop("location", "Stadhuisplein 1, Utrecht"),
            online_url=fields.pop("online_url", "https://meet.example.org/jep"),
            **fields,
        )
        db.session.add(event)
        db.session.commit()
        return event

    return factory


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
