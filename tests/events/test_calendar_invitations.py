"""Only people who will attend get a calendar invitation, and the email says so truly."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from events import registrations, services
from tests.conftest import sent_emails

ATTACHED = "In de bijlage staat het agendabestand"


def _register(event, user):
    result = registrations.register_for_event(event, user)
    db.session.commit()
    return result


def _last(user, subject_part: str = ""):
    return [m for m in sent_emails(to=user.email) if subject_part in m.subject][-1]


def test_a_waitlisted_member_gets_no_calendar_file_and_is_not_told_of_one(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=1)
    _register(event, make_user())
    waiting = make_user()
    assert _register(event, waiting).status == "waitlisted"
    mail = _last(waiting)
    assert mail.attachments == []
    assert ATTACHED not in mail.text_body
    assert ATTACHED not in mail.html_body
    assert "Het agendabestand krijg je zodra je een plaats hebt." in mail.text_body


def test_a_pending_sign_up_gets_no_calendar_file_and_is_not_told_of_one(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), requires_approval=True)
    member = make_user()
    assert _register(event, member).status == "pending"
    mail = _last(member)
    assert mail.attachments == []
    assert ATTACHED not in mail.text_body
    assert ATTACHED not in mail.html_body


def test_a_confirmed_member_gets_the_invitation_the_email_mentions(
    app, make_user, make_group, make_event
):
    event = make_event(make_group())
    member = make_user()
    _register(event, member)
    mail = _last(member)
    assert ATTACHED in mail.text_body
    [attachment] = mail.attachments
    assert "METHOD:REQUEST" in attachment["content"]


def test_a_change_sends_method_request_to_attendees_only(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=1)
    confirmed, waiting = make_user(), make_user()
    _register(event, confirmed)
    _register(event, waiting)
    data = services.EventData(
        title=event.title, starts_at=event.starts_at + timedelta(hours=2),
        ends_at=event.ends_at + timedelta(hours=2), location=event.location,
        online_url=event.online_url, capacity=1,
    )  # fmt: skip
    services.update_event(event, data, actor=None)
    db.session.commit()
    to_waiting = _last(waiting, "Gewijzigd")
    assert to_waiting.attachments == []
    assert ATTACHED not in to_waiting.text_body
    to_confirmed = _last(confirmed, "Gewijzigd")
    assert "METHOD:REQUEST" in to_confirmed.attachments[0]["content"]


def test_a_cancellation_file_goes_only_to_those_who_had_the_invitation(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), capacity=1)
    confirmed, waiting = make_user(), make_user()
    _register(event, confirmed)
    _register(event, waiting)
    services.cancel_event(event, actor=None, reason="De spreker is ziek.")
    db.session.commit()
    assert "METHOD:CANCEL" in _last(confirmed, "Geannuleerd").attachments[0]["content"]
    to_waiting = _last(waiting, "Geannuleerd")
    assert to_waiting.attachments == []
    assert ATTACHED not in to_waiting.html_body


def test_a_promoted_member_gets_the_invitation_then(app, make_user, make_group, make_event):
    event = make_event(make_group(), capacity=1)
    first, waiting = make_user(), make_user()
    _register(event, first)
    _register(event, waiting)
    registrations.unregister_from_event(event, first)
    db.session.commit()
    mail = _last(waiting)
    assert ATTACHED in mail.text_body
    assert "METHOD:REQUEST" in mail.attachments[0]["content"]
