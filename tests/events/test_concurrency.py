"""Capacity and uniqueness hold under real concurrency (PostgreSQL, separate connections)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from core.extensions import db
from events import registrations
from events.models import Event, Registration

THREADS = 30


@pytest.fixture
def app_config():
    # Enough connections that all threads really run at the same time.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS + 5, "max_overflow": 5,
                                          "pool_pre_ping": True}}  # fmt: skip


@pytest.fixture
def app(pg_app):
    """Row locks and concurrent writers: these tests run on PostgreSQL only (the
    factories then write there too)."""
    return pg_app


@pytest.fixture
def pg(app):
    return app


def _fire(app, event_id: int, user_ids: list[int]) -> list:
    """Each thread gets its own app context, so its own session and connection."""
    barrier = threading.Barrier(len(user_ids))
    outcomes: list = []
    lock = threading.Lock()

    def run(user_id: int) -> None:
        from auth.models import User

        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                user = db.session.get(User, user_id)
                barrier.wait(timeout=30)
                result = registrations.register_for_event(event, user)
                db.session.commit()
                outcome = result.status
            except Exception as exc:  # recorded and asserted below
                db.session.rollback()
                outcome = exc
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_thirty_concurrent_sign_ups_fill_ten_seats_and_waitlist_the_rest_in_order(
    pg, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=10)
    user_ids = [make_user().id for _ in range(THREADS)]
    outcomes = _fire(pg, event.id, user_ids)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == sorted(["confirmed"] * 10 + ["waitlisted"] * 20)
    db.session.expire_all()
    rows = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .order_by(Registration.created_at, Registration.id)
        )
    )
    assert len(rows) == THREADS
    assert len({r.user_id for r in rows}) == THREADS
    # Everyone confirmed signed up before everyone waitlisted: first come, first served.
    assert [r.status for r in rows] == ["confirmed"] * 10 + ["waitlisted"] * 20
    assert db.session.get(Event, event.id).confirmed_count == 10
    first_waiting = rows[10]
    assert registrations.waitlist_position(first_waiting) == 1


def test_the_same_member_signing_up_ten_times_at_once_holds_one_registration(
    pg, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=10)
    user = make_user()
    outcomes = _fire(pg, event.id, [user.id] * 10)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == ["already_registered"] * 9 + ["confirmed"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).confirmed_count == 1
    count = db.session.scalar(
        select(db.func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    assert count == 1
