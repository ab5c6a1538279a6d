"""Sign-ups, waitlist promotion, deadlines, approval, edits and cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.extensions import db
from events import registrations, services
from events.models import Registration
from tests.conftest import sent_emails


def _register(event, user):
    result = registrations.register_for_event(event, user)
    db.session.commit()
    return result


def test_registrations_beyond_capacity_go_to_the_waitlist_in_order(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=2)
    users = [make_user() for _ in range(4)]
    statuses = [_register(event, u).status for u in users]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    db.session.refresh(event)
    assert event.confirmed_count == 2
    third = registrations.active_registration(event.id, users[3].id)
    assert registrations.waitlist_position(third) == 2


def test_registering_twice_answers_already_registered(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=5)
    user = make_user()
    assert _register(event, user).status == "confirmed"
    assert _register(event, user).status == "already_registered"
    db.session.refresh(event)
    assert event.confirmed_count == 1


def test_unregistering_promotes_first_waitlisted_member_and_emails_them(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    for user in (first, second, third):
        _register(event, user)
    registrations.unregister_from_event(event, first)
    db.session.commit()
    assert registrations.active_registration(event.id, second.id).status == "confirmed"
    assert registrations.active_registration(event.id, third.id).status == "waitlisted"
    db.session.refresh(event)
    assert event.confirmed_count == 1
    [mail] = [m for m in sent_emails(to=second.email) if "plaats vrij" in m.subject]
    [attachment] = mail.attachments
    assert attachment["filename"] == "uitnodiging.ics"
    assert "METHOD:REQUEST" in attachment["content"]
    assert attachment["params"] == {"method": "REQUEST"}


def test_unregistering_after_the_start_is_refused(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=3)
    user = make_user()
    _register(event, user)
    with pytest.raises(services.EventError):
        registrations.unregister_from_event(event, user, now=event.starts_at + timedelta(minutes=1))


def test_nobody_can_register_after_the_deadline(app, make_user, make_group, make_event):
    event = make_event(make_group(), registration_deadline=utcnow() - timedelta(hours=1))
    with pytest.raises(services.EventError):
        registrations.register_for_event(event, make_user())


def test_approval_puts_registrations_pending_until_a_coordinator_decides(
    app, make_user, make_group, make_event
):
    coordinator = make_user()
    event = make_event(make_group(coordinator=coordinator), capacity=1, requires_approval=True)
    a, b, c = make_user(), make_user(), make_user()
    assert [_register(event, u).status for u in (a, b, c)] == ["pending"] * 3
    reg_a = registrations.active_registration(event.id, a.id)
    reg_b = registrations.active_registration(event.id, b.id)
    reg_c = registrations.active_registration(event.id, c.id)
    assert registrations.approve_registration(reg_a, coordinator) == "confirmed"
    assert registrations.approve_registration(reg_b, coordinator) == "waitlisted"
    registrations.decline_registration(reg_c, coordinator)
    db.session.commit()
    assert reg_c.status == "declined"
    assert registrations.active_registration(event.id, c.id) is None


def test_moving_an_event_emails_confirmed_and_waitlisted_members_what_changed(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=1)
    confirmed, waiting = make_user(), make_user()
    _register(event, confirmed)
    _register(event, waiting)
    data = services.EventData(
        title=event.title, starts_at=event.starts_at + timedelta(hours=1),
        ends_at=event.ends_at + timedelta(hours=1), location="Nieuw adres 2, Utrecht",
        online_url=event.online_url, capacity=1,
    )  # fmt: skip
    changes = services.update_event(event, data, actor=None)
    db.session.commit()
    assert set(changes) == {"starts_at", "ends_at", "location"}
    assert event.ics_sequence == 1
    [to_confirmed] = [m for m in sent_emails(to=confirmed.email) if "Gewijzigd" in m.subject]
    [to_waiting] = [m for m in sent_emails(to=waiting.email) if "Gewijzigd" in m.subject]
    assert "Nieuw adres 2" in to_confirmed.text_body
    assert "Nieuw adres 2" not in to_waiting.text_body
    assert "SEQUENCE:1" in to_confirmed.attachments[0]["content"]


def test_cancelling_emails_a_cancellation_calendar_file(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=3)
    user = make_user()
    _register(event, user)
    services.cancel_event(event, actor=None, reason="De trainer is ziek.")
    db.session.commit()
    [mail] = [m for m in sent_emails(to=user.email) if "Geannuleerd" in m.subject]
    content = mail.attachments[0]["content"]
    assert "METHOD:CANCEL" in content
    assert "STATUS:CANCELLED" in content
    assert "De trainer is ziek." in content.replace("\r\n ", "")
    assert "De trainer is ziek." in mail.text_body
    assert "De trainer is ziek." in mail.html_body
    assert event.cancellation_reason == "De trainer is ziek."
    with pytest.raises(services.EventError):
        registrations.register_for_event(event, make_user())


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_cancelling_without_a_reason_is_refused_and_changes_nothing(
    app, make_user, make_group, make_event, reason
):
    event = make_event(make_group(), capacity=3)
    _register(event, make_user())
    with pytest.raises(services.EventError):
        services.cancel_event(event, actor=None, reason=reason)
    assert event.status == "scheduled"
    assert event.ics_sequence == 0


def test_the_calendar_file_of_a_cancelled_event_says_why(app, make_group, make_event):
    from events.calendar import build_calendar

    event = make_event(make_group())
    services.cancel_event(event, actor=None, reason="Zaal onder water")
    content = build_calendar([(event, False)]).decode()
    assert "STATUS:CANCELLED" in content
    assert "DESCRIPTION:Geannuleerd: Zaal onder water" in content


def test_raising_capacity_promotes_waitlisted_members(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=1)
    a, b = make_user(), make_user()
    _register(event, a)
    _register(event, b)
    data = services.EventData(title=event.title, starts_at=event.starts_at,
                              ends_at=event.ends_at, location=event.location,
                              online_url=event.online_url, capacity=2)  # fmt: skip
    services.update_event(event, data, actor=None)
    db.session.commit()
    assert registrations.active_registration(event.id, b.id).status == "confirmed"


def test_end_before_start_is_refused(app, make_group):
    start = utcnow() + timedelta(days=1)
    with pytest.raises(services.EventError):
        services.create_event(
            make_group(), services.EventData(title="x", starts_at=start, ends_at=start), None
        )


def test_reminders_are_queued_once_and_again_after_the_event_moves(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=3, starts_in=timedelta(hours=20))
    user = make_user()
    _register(event, user)
    assert services.send_due_reminders() == 1
    db.session.commit()
    assert services.send_due_reminders() == 0
    db.session.commit()
    data = services.EventData(title=event.title, starts_at=event.starts_at + timedelta(hours=2),
                              ends_at=event.ends_at + timedelta(hours=2),
                              location=event.location, online_url=event.online_url, capacity=3)  # fmt: skip
    services.update_event(event, data, actor=None)
    db.session.commit()
    assert services.send_due_reminders() == 1
    db.session.commit()
    reminders = sent_emails(to=user.email, kind="reminder")
    assert len(reminders) == 2


def test_marking_attendance_records_who_came(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=3)
    a, b = make_user(), make_user()
    _register(event, a)
    _register(event, b)
    assert registrations.mark_attendance(event, {a.id}) == 1
    db.session.commit()
    rows = {r.user_id: r.attended for r in db.session.scalars(select(Registration))}
    assert rows == {a.id: True, b.id: False}


def test_event_title_location_and_register_lose_directional_overrides(app, make_group, make_event):
    event = make_event(make_group(), title="\u202eNetwerk\u202c dag", location="Zaal \u2066B",
                       accreditation_register="SKJ\u202e")  # fmt: skip
    assert (event.title, event.location, event.accreditation_register) == (
        "Netwerk dag",
        "Zaal B",
        "SKJ",
    )
