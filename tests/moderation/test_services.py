"""Moderation services: every action changes the right fields, is audited, tells the
member why, and fires its signal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import signals
from core.audit import AuditEvent, AuditLogIsAppendOnly
from core.db import utcnow
from core.extensions import db
from forum.models import PostRevision
from moderation import services
from moderation.models import Report
from tests.conftest import sent_emails


@pytest.fixture
def scene(make_user, make_group, make_thread):
    author = make_user("Auteur")
    moderator = make_user("Mod", role="moderator", with_2fa=True)
    group = make_group()
    thread = make_thread(group, author, title="Zorgen over een leerling", body="Tekst met geheim.")
    return author, moderator, thread, thread.first_post


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def catch(signal):
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signal.connect(receiver, weak=False)
    return calls, receiver


def test_reporting_a_post_files_an_open_report(scene, make_user):
    _author, _moderator, _thread, post = scene
    reporter = make_user()
    report = services.report_post(post, reporter, services.NewReport("haatzaaien", "zie zin 2"))
    db.session.commit()
    assert report.status == "open"
    assert report.reporter_id == reporter.id
    assert report.reason_label == "Haatzaaien of discriminatie"


def test_an_unknown_report_reason_is_refused(scene, make_user):
    with pytest.raises(services.ModerationError):
        services.report_post(scene[3], make_user(), services.NewReport("spam"))


def test_hiding_a_post_records_reason_tells_author_and_closes_reports(scene, make_user):
    author, moderator, _thread, post = scene
    services.report_post(post, make_user(), services.NewReport("overig"))
    calls, receiver = catch(signals.post_moderated)
    try:
        services.hide_post(post, moderator, "Bevat persoonsgegevens van een jongere.")
        db.session.commit()
    finally:
        signals.post_moderated.disconnect(receiver)
    assert post.hidden_at is not None
    assert post.hidden_reason == "Bevat persoonsgegevens van een jongere."
    assert db.session.scalar(select(Report.status)) == "resolved"
    assert audit_actions() == ["post.hide"]
    event = db.session.scalar(select(AuditEvent))
    assert (event.actor_id, event.subject_user_id, event.target_id) == (
        moderator.id, author.id, post.id)  # fmt: skip
    (mail,) = sent_emails(to=author.email)
    assert "Bevat persoonsgegevens van een jongere." in mail.text_body
    assert f"/threads/{post.thread_id}" in mail.text_body
    [call] = calls
    assert call.pop("appeal_path").startswith("/appeal/")
    assert call == {"post": post, "action": "hide", "actor": moderator,
                    "reason": "Bevat persoonsgegevens van een jongere."}  # fmt: skip


def test_hiding_requires_a_reason(scene):
    with pytest.raises(services.ModerationError):
        services.hide_post(scene[3], scene[1], "   ")


def test_restoring_a_post_shows_it_again(scene):
    _author, moderator, _thread, post = scene
    services.hide_post(post, moderator, "Reden")
    services.restore_post(post, moderator, "Vergissing")
    db.session.commit()
    assert post.hidden_at is None
    assert post.hidden_reason is None
    assert audit_actions() == ["post.hide", "post.restore"]


def test_redacting_text_purges_it_from_the_post_and_every_revision(scene):
    _author, moderator, _thread, post = scene
    db.session.add_all([
        PostRevision(post_id=post.id, body_source="Eerste versie met geheim."),
        PostRevision(post_id=post.id, body_source="Tweede versie zonder."),
    ])  # fmt: skip
    db.session.commit()
    services.redact_post(post, moderator, services.Redaction("Naam jongere", remove_text="geheim"))
    db.session.commit()
    db.session.expire_all()
    assert "geheim" not in post.body_source
    assert "geheim" not in post.body_html
    assert services.REDACTION_MARK in post.body_html
    bodies = db.session.scalars(select(PostRevision.body_source)).all()
    assert all("geheim" not in body for body in bodies)
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "post.redact"
    assert "geheim" not in str(event.details)
    assert "geheim" not in event.reason


def test_redacting_with_a_replacement_body_wipes_earlier_versions(scene):
    _author, moderator, _thread, post = scene
    db.session.add(PostRevision(post_id=post.id, body_source="Oud met geheim."))
    db.session.commit()
    services.redact_post(post, moderator, services.Redaction("Reden", replacement="Nieuw *veilig*"))
    db.session.commit()
    assert post.body_source == "Nieuw *veilig*"
    assert "<em>veilig</em>" in post.body_html
    assert db.session.scalars(select(PostRevision.body_source)).all() == [services.REDACTION_MARK]


def test_redacting_text_that_is_not_there_is_refused(scene):
    with pytest.raises(services.ModerationError):
        services.redact_post(scene[3], scene[1], services.Redaction("R", remove_text="nergens"))


def test_locking_and_hiding_a_thread_are_audited_and_signalled(scene):
    author, moderator, thread, _post = scene
    calls, receiver = catch(signals.thread_changed)
    try:
        services.lock_thread(thread, moderator)
        services.unlock_thread(thread, moderator)
        services.lock_thread(thread, moderator, "Loopt uit de hand")
        services.hide_thread(thread, moderator, "Hoort hier niet")
        db.session.commit()
    finally:
        signals.thread_changed.disconnect(receiver)
    assert thread.is_locked
    assert thread.hidden_at is not None
    assert [c["action"] for c in calls] == ["lock", "unlock", "lock", "hide"]
    assert audit_actions() == ["thread.lock", "thread.unlock", "thread.lock", "thread.hide"]
    assert "Hoort hier niet" in sent_emails(to=author.email)[-1].text_body


def test_suspending_a_member_ends_their_sessions_and_lifting_restores_access(scene):
    author, moderator, _thread, _post = scene
    version = author.session_version
    until = (utcnow() + timedelta(days=7)).date()
    calls, receiver = catch(signals.member_changed)
    try:
        services.suspend_member(author, moderator, "Herhaaldelijk schelden", until)
        db.session.commit()
        assert author.status == "suspended"
        assert author.suspended_reason == "Herhaaldelijk schelden"
        assert author.session_version == version + 1
        assert "Herhaaldelijk schelden" in sent_emails(to=author.email)[-1].text_body
        services.lift_suspension(author, moderator, "Gesprek gehad")
        db.session.commit()
    finally:
        signals.member_changed.disconnect(receiver)
    assert author.status == "active"
    assert author.suspended_reason is None
    assert [c["action"] for c in calls] == ["suspend", "unsuspend"]
    assert audit_actions() == ["member.suspend", "member.unsuspend"]


def test_a_suspension_cannot_end_in_the_past(scene):
    with pytest.raises(services.ModerationError):
        services.suspend_member(scene[0], scene[1], "Reden", (utcnow() - timedelta(days=1)).date())


def test_resolving_and_dismissing_reports_records_who_handled_them(scene, make_user):
    _author, moderator, _thread, post = scene
    first = services.report_post(post, make_user(), services.NewReport("overig"))
    second = services.report_post(post, make_user(), services.NewReport("overig"))
    services.resolve_report(first, moderator, status="resolved", note="Besproken")
    services.resolve_report(second, moderator, status="dismissed")
    db.session.commit()
    assert (first.status, first.handled_by_id) == ("resolved", moderator.id)
    assert second.status == "dismissed"
    assert second.handled_at is not None
    assert audit_actions() == ["report.resolve", "report.dismiss"]


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm(scene):
    _author, moderator, _thread, post = scene
    services.hide_post(post, moderator, "Reden")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    event.reason = "iets anders"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalar(select(AuditEvent)))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.reason)) == "Reden"


def test_hiding_and_restoring_a_reply_updates_the_thread_reply_count(scene, make_reply):
    author, moderator, thread, _post = scene
    reply = make_reply(thread, author)
    from forum.services import recount_thread

    recount_thread(thread)
    assert thread.reply_count == 1
    services.hide_post(reply, moderator, "Persoonsgegevens van een jongere.")
    assert thread.reply_count == 0
    services.restore_post(reply, moderator)
    assert thread.reply_count == 1
