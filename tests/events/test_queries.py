"""Event lists as plain rows: one statement per list, with the viewer's own status."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from events import registrations
from events.queries import event_for_viewer, list_events, my_next_events
from tests.conftest import count_queries


def _fresh(user):
    # Loaded before counting: a committed user is expired and would be reloaded inside.
    db.session.refresh(user)
    return user


def test_a_page_of_events_and_the_total_come_from_one_statement(make_group, make_event, make_user):
    user = make_user()
    group = make_group(members=[user])
    for n in range(30):
        make_event(group, title=f"Bijeenkomst {n}", starts_in=timedelta(days=n + 1))
    _fresh(user)
    with count_queries() as first:
        items, total = list_events(user)
    assert (first.count, total, len(items)) == (1, 30, 25)
    assert [item.title for item in items[:2]] == ["Bijeenkomst 0", "Bijeenkomst 1"]
    _fresh(user)
    with count_queries() as second:
        items, total = list_events(user, page=2)
    assert (second.count, total, len(items)) == (1, 30, 5)


def test_a_page_past_the_end_still_knows_the_total(make_group, make_event, make_user):
    user = make_user()
    group = make_group(members=[user])
    for _ in range(3):
        make_event(group)
    assert list_events(user, page=4) == ([], 3)
    assert list_events(user, when="past") == ([], 0)


def test_items_carry_only_the_viewers_own_status(make_group, make_event, make_user):
    me, other = make_user(), make_user()
    group = make_group(members=[me, other])
    mine = make_event(group, title="Mijn bijeenkomst", starts_in=timedelta(days=1))
    theirs = make_event(group, title="Andermans bijeenkomst", starts_in=timedelta(days=2))
    registrations.register_for_event(mine, me)
    registrations.register_for_event(theirs, other)
    db.session.commit()
    items, _total = list_events(me)
    assert [(item.title, item.my_status) for item in items] == [
        ("Mijn bijeenkomst", "confirmed"),
        ("Andermans bijeenkomst", None),
    ]
    assert [item.title for item in my_next_events(me)] == ["Mijn bijeenkomst"]


def test_a_cancelled_registration_is_no_status(make_group, make_event, make_user):
    me = make_user()
    event = make_event(make_group(members=[me]))
    registrations.register_for_event(event, me)
    registrations.unregister_from_event(event, me)
    registrations.register_for_event(event, me)  # a second, active registration
    db.session.commit()
    items, total = list_events(me)
    assert total == 1
    assert [item.my_status for item in items] == ["confirmed"]


def test_the_event_page_loads_event_membership_and_registration_at_once(
    make_group, make_event, make_user
):
    me, outsider = make_user(), make_user()
    group = make_group(members=[me])
    event = make_event(group)
    registrations.register_for_event(event, me)
    db.session.commit()
    event_id = event.id
    _fresh(me)
    with count_queries() as q:
        found, membership, registration = event_for_viewer(event_id, me)
    assert q.count == 1
    assert (found.id, membership.user_id, registration.status) == (event.id, me.id, "confirmed")
    assert found.group.slug == group.slug
    assert event_for_viewer(event.id, outsider)[1:] == (None, None)
    assert event_for_viewer(event.id + 1000, me) is None
