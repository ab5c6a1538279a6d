"""`flask events send-reminders [--now ISO]`, next to `flask digests send`."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from events import registrations
from tests.conftest import sent_emails


def _send(app, *args: str):
    return app.test_cli_runner().invoke(args=["events", "send-reminders", *args])


def test_send_reminders_queues_the_due_reminders_once(app, make_user, make_group, make_event):
    event = make_event(make_group(), starts_in=timedelta(hours=10), title="Intervisie")
    member = make_user()
    registrations.register_for_event(event, member)
    db.session.commit()
    first, second = _send(app), _send(app)
    assert first.exit_code == 0, first.output
    assert "1 reminder(s) queued." in first.output
    assert "0 reminder(s) queued." in second.output
    db.session.expire_all()
    [reminder] = sent_emails(to=member.email, kind="reminder")
    assert "Intervisie" in reminder.subject


def test_send_reminders_acts_as_of_the_moment_given_with_now(
    app, make_user, make_group, make_event
):
    event = make_event(make_group(), starts_in=timedelta(days=5))
    member = make_user()
    registrations.register_for_event(event, member)
    db.session.commit()
    too_early = (event.starts_at - timedelta(days=2)).isoformat()
    the_day_before = (event.starts_at - timedelta(hours=20)).replace(tzinfo=None).isoformat()
    assert "0 reminder(s) queued." in _send(app, "--now", too_early).output
    assert "1 reminder(s) queued." in _send(app, "--now", the_day_before).output
    db.session.expire_all()
    assert len(sent_emails(to=member.email, kind="reminder")) == 1


def test_send_reminders_refuses_a_moment_that_is_not_iso(app):
    result = _send(app, "--now", "morgen")
    assert result.exit_code == 2
    assert "ISO 8601" in result.output
