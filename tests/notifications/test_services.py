"""Receivers and notify(): who hears about what, and what the email may contain."""

from __future__ import annotations

from sqlalchemy import select

from core import signals
from core.extensions import db
from forum.models import ThreadWatch
from notifications.models import GroupMute, Notification, NotificationPreference
from notifications.preferences import wants_email
from tests.conftest import sent_emails


def _notes(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _send_reply(post, mentioned=()):
    signals.post_created.send(None, post=post, mentioned_user_ids=list(mentioned))
    db.session.commit()


def test_reply_notifies_thread_author_and_emails_with_unsubscribe(
    app, make_user, make_group, make_thread, make_reply
):
    author, replier = make_user(), make_user()
    group = make_group(members=[author, replier])
    thread = make_thread(group, author, title="Vraag over school")
    _send_reply(make_reply(thread, replier, body="Mijn ervaring"))
    [note] = _notes(author)
    assert note.kind == "reply"
    assert "Vraag over school" in note.title
    [email] = sent_emails(to=author.email)
    assert email.kind == "notification"
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Mijn ervaring" in email.text_body
    assert _notes(replier) == []


def test_closed_group_reply_email_has_no_post_text(
    app, make_user, make_group, make_thread, make_reply
):
    author, replier = make_user(), make_user()
    group = make_group(visibility="closed", members=[author, replier])
    thread = make_thread(group, author)
    _send_reply(make_reply(thread, replier, body="Vertrouwelijke details"))
    [email] = sent_emails(to=author.email)
    assert "Vertrouwelijke" not in email.text_body
    assert "Vertrouwelijke" not in email.html_body


def test_watchers_mentions_and_parent_authors_are_notified_once_each(
    app, make_user, make_group, make_thread, make_reply
):
    author, parent_author, watcher, mentioned, replier = (make_user() for _ in range(5))
    group = make_group(members=[author, parent_author, watcher, mentioned, replier])
    thread = make_thread(group, author)
    parent = make_reply(thread, parent_author)
    db.session.add(ThreadWatch(thread_id=thread.id, user_id=watcher.id, level="watch"))
    db.session.commit()
    _send_reply(make_reply(thread, replier, parent=parent), mentioned=[mentioned.id, replier.id])
    kinds = {u.id: [n.kind for n in _notes(u)] for u in (author, parent_author, watcher, mentioned)}
    assert kinds == {
        author.id: ["reply"],
        parent_author.id: ["reply"],
        watcher.id: ["watch"],
        mentioned.id: ["mention"],
    }
    assert _notes(replier) == []


def test_muted_thread_muted_group_and_unreadable_group_get_nothing(
    app, make_user, make_group, make_thread, make_reply
):
    author, muter, outsider, replier = (make_user() for _ in range(4))
    group = make_group(visibility="closed", members=[author, muter, replier])
    thread = make_thread(group, author)
    db.session.add(ThreadWatch(thread_id=thread.id, user_id=author.id, level="mute"))
    db.session.add(ThreadWatch(thread_id=thread.id, user_id=muter.id, level="watch"))
    db.session.add(GroupMute(user_id=muter.id, group_id=group.id))
    db.session.commit()
    _send_reply(make_reply(thread, replier), mentioned=[outsider.id])
    assert _notes(author) == _notes(muter) == _notes(outsider) == []


def test_email_preference_off_keeps_the_in_app_notification(
    app, make_user, make_group, make_thread, make_reply
):
    author, replier = make_user(), make_user()
    db.session.add(NotificationPreference(user_id=author.id, email_replies=False))
    db.session.commit()
    group = make_group(members=[author, replier])
    _send_reply(make_reply(make_thread(group, author), replier))
    assert len(_notes(author)) == 1
    assert sent_emails(to=author.email) == []


def test_accepted_answer_notifies_its_author(app, make_user, make_group, make_thread, make_reply):
    asker, helper = make_user(), make_user()
    group = make_group(members=[asker, helper])
    thread = make_thread(group, asker, kind="question")
    answer = make_reply(thread, helper)
    signals.answer_accepted.send(None, thread=thread, post=answer, actor=asker)
    db.session.commit()
    [note] = _notes(helper)
    assert note.kind == "answer"


def test_hidden_post_gives_its_author_a_statement_of_reasons(
    app, make_user, make_group, make_thread, make_reply
):
    author, moderator = make_user(), make_user(role="moderator")
    group = make_group(members=[author])
    post = make_reply(make_thread(group, author), author)
    signals.post_moderated.send(
        None, post=post, action="hide", actor=moderator, reason="Haatzaaien"
    )
    db.session.commit()
    [note] = _notes(author)
    assert note.kind == "moderation"
    assert note.text == "Haatzaaien"


def test_event_change_notifies_registered_members(app, make_user, make_group):
    from datetime import timedelta

    from core.db import utcnow
    from events.models import Event, Registration

    coordinator, attendee, cancelled = make_user(), make_user(), make_user()
    group = make_group(members=[coordinator, attendee, cancelled])
    start = utcnow() + timedelta(days=3)
    event = Event(group_id=group.id, title="Netwerkbijeenkomst", starts_at=start,
                  ends_at=start + timedelta(hours=2),
                  cancellation_reason="De zaal is niet beschikbaar.")  # fmt: skip
    db.session.add(event)
    db.session.flush()
    db.session.add(Registration(event_id=event.id, user_id=attendee.id, status="confirmed"))
    db.session.add(Registration(event_id=event.id, user_id=cancelled.id, status="cancelled"))
    db.session.commit()
    signals.event_changed.send(None, event=event, action="cancel", changes={}, actor=coordinator)
    db.session.commit()
    [note] = _notes(attendee)
    assert note.kind == "event_change"
    assert note.text == "De zaal is niet beschikbaar."
    assert _notes(cancelled) == []
    assert _notes(coordinator) == []


def test_wants_email_defaults_follow_the_registration_opt_in(app, make_user):
    opted_in, opted_out = make_user(digest_opt_in=True), make_user()
    pending = make_user(status="pending")
    assert wants_email(opted_in, "digest") is True
    assert wants_email(opted_out, "digest") is False
    assert wants_email(opted_out, "replies") is True
    assert wants_email(pending, "replies") is False


def _fan_out_statements(make_user, make_group, make_thread, make_reply, watchers: int) -> int:
    """Statements `notify_new_post` runs for a reply with `watchers` watching members, a
    mention, one of them without reply emails and one who muted the group."""
    from notifications.services import notify_new_post
    from tests.conftest import count_queries

    author, replier, mentioned = make_user(), make_user(), make_user()
    others = [make_user() for _ in range(watchers)]
    group = make_group(members=[author, replier, mentioned, *others])
    thread = make_thread(group, author)
    for user in others:
        db.session.add(ThreadWatch(thread_id=thread.id, user_id=user.id, level="watch"))
    db.session.add(NotificationPreference(user_id=others[0].id, email_replies=False))
    db.session.add(GroupMute(user_id=others[1].id, group_id=group.id))
    db.session.commit()
    post = make_reply(thread, replier)
    mentioned_id = mentioned.id
    # Loaded, as in the request that posts the reply.
    assert post.thread.group.id
    assert post.author.id
    with count_queries() as queries:
        notes = notify_new_post(post, [mentioned_id])
    db.session.commit()
    assert len(notes) == watchers + 1  # all but the group-muter, plus author and mention
    assert _notes(others[1]) == []
    emailed = {email.to_address for email in sent_emails()}
    assert others[0].email not in emailed
    assert {author.email, mentioned.email, others[2].email} <= emailed
    return queries.count


def test_reply_fan_out_runs_the_same_statements_for_few_or_many_recipients(
    app, make_user, make_group, make_thread, make_reply
):
    few = _fan_out_statements(make_user, make_group, make_thread, make_reply, watchers=3)
    many = _fan_out_statements(make_user, make_group, make_thread, make_reply, watchers=12)
    # watches, readers, preferences, the notifications, the emails
    assert few == many == 5
