"""Factories for event tests: groups with coordinators and scheduled events."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from core.db import utcnow
from core.extensions import db

_n = itertools.count(1)


@pytest.fixture
def make_group(app):
    from groups.models import Group, Membership

    def factory(*, visibility: str = "members", coordinator=None, members=(), region_id=None):
        n = next(_n)
        group = Group(slug=f"groep-{n}", name=f"Groep {n}", visibility=visibility,
                      region_id=region_id)  # fmt: skip
        db.session.add(group)
        db.session.flush()
        if coordinator is not None:
            db.session.add(
                Membership(group_id=group.id, user_id=coordinator.id, role="coordinator")
            )
        for member in members:
            db.session.add(Membership(group_id=group.id, user_id=member.id))
        db.session.commit()
        return group

    return factory


@pytest.fixture
def make_event(app):
    from events.services import EventData, create_event

    def factory(group, *, starts_in=timedelta(days=7), hours=2, **fields):
        start = utcnow().replace(microsecond=0) + starts_in
        data = EventData(
            title=fields.pop("title", "Netwerkbijeenkomst"),
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            location=fields.pop("location", "Stadhuisplein 1, Utrecht"),
            online_url=fields.pop("online_url", "https://meet.example.org/jep"),
            **fields,
        )
        event = create_event(group, data, actor=None)
        db.session.commit()
        return event

    return factory
