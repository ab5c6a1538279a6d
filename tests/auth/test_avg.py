"""AVG rights: the data export holds everything about me and nothing secret; deleting an
account leaves no personal field behind, keeps posts under "Oud-lid" and frees seats."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from auth import avg
from auth.models import FORMER_MEMBER_NAME, RecoveryCode, User
from core.audit import AuditEvent, record_audit
from core.db import utcnow
from core.extensions import db
from forum.models import Post, PostRevision, Reaction, Thread
from groups.models import Group, Membership
from moderation.models import Report
from tests.conftest import TEST_PASSWORD

#: User columns that may keep a value after deletion, and why. Every other column must
#: be empty (NULL or "").
KEPT_AFTER_DELETION = {
    "id": "posts, reactions and reports still refer to the row",
    "display_name": "replaced by 'Oud-lid'",
    "status": "'deleted'",
    "deleted_at": "when the account was deleted",
    "created_at": "not personal; keeps statistics stable",
    "role": "reset to 'member'",
    "language": "reset to the default",
    "timezone": "reset to the default",
    "show_organisation": "reset to the default",
    "show_region": "reset to the default",
    "digest_opt_in": "False",
    "session_version": "bumped so every session ends",
    "calendar_token": "a fresh random token; the old feed URL stops working",
}


def build_history(make_user):
    """A member with a group, a thread, a post with revisions, a reaction, a report,
    recovery codes and an audit entry about them — next to another member's content."""
    me = make_user("Mijn Naam", with_2fa=True, bio="Over mij", email="ik@example.org")
    other = make_user("Ander Lid")
    group = Group(slug="avg-groep", name="AVG groep")
    db.session.add(group)
    db.session.flush()
    db.session.add_all([
        Membership(group_id=group.id, user_id=me.id, role="coordinator"),
        Membership(group_id=group.id, user_id=other.id, decided_by_id=me.id),
    ])  # fmt: skip
    group.member_count = 2
    thread = Thread(group_id=group.id, author_id=me.id, title="Mijn vraag")
    db.session.add(thread)
    db.session.flush()
    mine = Post(thread_id=thread.id, author_id=me.id, body_source="Mijn tekst",
                body_html="<p>Mijn tekst</p>")  # fmt: skip
    theirs = Post(thread_id=thread.id, author_id=other.id, body_source="Tekst van een ander",
                  body_html="<p>Tekst van een ander</p>")  # fmt: skip
    db.session.add_all([mine, theirs])
    db.session.flush()
    db.session.add_all([
        PostRevision(post_id=mine.id, editor_id=me.id, body_source="Mijn eerste versie"),
        Reaction(post_id=theirs.id, user_id=me.id, kind="useful"),
        Reaction(post_id=mine.id, user_id=other.id, kind="thanks"),
        Report(post_id=theirs.id, reporter_id=me.id, reason="overig", note="Mijn melding"),
        RecoveryCode(user_id=me.id, code_hash="secret-hash"),
    ])  # fmt: skip
    record_audit(other, "member.suspend", "user", me.id, subject_user=me, reason="Over mij")
    record_audit(me, "domain.add", "approved_domain", 1, reason="Niet over mij")
    db.session.commit()
    return me, other, mine, theirs


def test_the_export_holds_everything_about_me_and_nothing_secret(app, make_user):
    me, other, _mine, theirs = build_history(make_user)
    data = json.loads(json.dumps(avg.export_member_data(me)))
    assert data["profile"]["email"] == "ik@example.org"
    assert data["profile"]["display_name"] == "Mijn Naam"
    assert data["profile"]["bio"] == "Over mij"
    assert data["profile"]["sector"]
    for secret in ("password_hash", "totp_secret", "calendar_token"):
        assert secret not in data["profile"]
    assert [p["body_source"] for p in data["posts"]] == ["Mijn tekst"]
    assert [r["body_source"] for r in data["posts"][0]["revisions"]] == ["Mijn eerste versie"]
    assert [t["title"] for t in data["threads"]] == ["Mijn vraag"]
    assert [(r["post_id"], r["kind"]) for r in data["reactions"]] == [(theirs.id, "useful")]
    assert [m["user_id"] for m in data["memberships"]] == [me.id]
    assert [r["note"] for r in data["reports"]] == ["Mijn melding"]
    assert [a["reason"] for a in data["audit_events"]] == ["Over mij"]
    assert data["recovery_codes"]
    assert all("code_hash" not in row for row in data["recovery_codes"])
    text = json.dumps(data)
    assert "Tekst van een ander" not in text
    assert "secret-hash" not in text
    assert other.email not in text


def test_the_export_includes_notification_preferences_and_registrations(app, make_user):
    from notifications import models as notifications

    me = make_user()
    db.session.add(notifications.NotificationPreference(user_id=me.id, digest_frequency="weekly"))
    db.session.commit()
    data = avg.export_member_data(me)
    assert data["notification_preferences"][0]["digest_frequency"] == "weekly"
    assert "notifications" in data
    if "event_registrations" in db.metadata.tables:
        assert "event_registrations" in data


def test_the_data_page_and_json_download(app, member_client):
    client, user = member_client
    page = client.get("/account/data")
    assert page.status_code == 200
    assert "Download mijn gegevens" in page.get_data(as_text=True)
    assert client.get("/account/data/export").status_code == 405
    response = client.post("/account/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["profile"]["email"] == user.email


def test_deleting_with_a_wrong_password_changes_nothing(app, member_client):
    client, user = member_client
    response = client.post("/account/delete", data={"delete-password": "fout wachtwoord"})
    assert response.status_code == 400
    assert "Dit wachtwoord klopt niet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).status == "active"


def test_deletion_leaves_no_personal_field_behind(app, make_user, login):
    me, _other, mine, _theirs = build_history(make_user)
    me.suspended_reason = "oud"
    me.last_login_at = me.last_post_at = utcnow()
    db.session.commit()
    client = app.test_client()
    login(client, me)
    version = me.session_version
    old_token = me.calendar_token
    response = client.post("/account/delete", data={"delete-password": TEST_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()

    user = db.session.get(User, me.id)
    for column in User.__table__.columns:
        value = getattr(user, column.key)
        if column.name in KEPT_AFTER_DELETION:
            continue
        assert value in (None, ""), f"users.{column.name} still holds {value!r}"
    assert user.display_name == FORMER_MEMBER_NAME
    assert user.public_name == FORMER_MEMBER_NAME
    assert (user.status, user.role, user.digest_opt_in) == ("deleted", "member", False)
    assert user.deleted_at is not None
    assert user.session_version == version + 1
    assert user.calendar_token != old_token

    # Rows that only describe the member are gone; their contributions stay.
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == me.id)).all() == []
    assert db.session.scalars(select(Membership).where(Membership.user_id == me.id)).all() == []
    assert db.session.get(Group, db.session.scalar(select(Group.id))).member_count == 1
    kept = db.session.get(Post, mine.id)
    assert kept.author_id == me.id
    assert kept.author.public_name == "Oud-lid"
    action = db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "account.delete")
    )
    assert action == "account.delete"

    # Logged out at once, and the address may register again.
    assert client.get("/account/profile").status_code == 302
    assert db.session.scalar(select(User).where(User.email == "ik@example.org")) is None
    fresh = make_user(email="ik@example.org")
    assert fresh.id != me.id


def test_deleted_account_cannot_log_in(app, member_client):
    client, user = member_client
    email = user.email
    client.post("/account/delete", data={"delete-password": TEST_PASSWORD})
    response = client.post("/auth/login", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "klopt niet" in response.get_data(as_text=True)


def test_deletion_cancels_upcoming_registrations_and_promotes_the_waitlist(app, make_user):
    from events import registrations
    from events import services as events_services
    from events.models import Registration

    me, other = make_user(), make_user()
    group = Group(slug="events-groep", name="Groep")
    db.session.add(group)
    db.session.flush()
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    event = events_services.create_event(
        group,
        events_services.EventData(title="Intervisie", starts_at=start,
                                  ends_at=start + timedelta(hours=2), capacity=1),
        actor=None,
    )  # fmt: skip
    db.session.commit()
    assert registrations.register_for_event(event, me).status == "confirmed"
    assert registrations.register_for_event(event, other).status == "waitlisted"
    db.session.commit()
    avg.delete_account(me)
    db.session.commit()
    rows = db.session.execute(select(Registration.user_id, Registration.status))
    statuses = {row[0]: row[1] for row in rows}
    assert statuses == {me.id: "cancelled", other.id: "confirmed"}


def test_deletion_erases_the_members_emails_from_the_outbox(app, make_user):
    from core.mail import queue_email
    from core.models import OutboxMessage

    me, other = make_user(email="weg@example.org"), make_user(email="blijft@example.org")
    queue_email(me.email, "core/test", subject="Verzonden", idempotency_key="t:sent")
    db.session.commit()  # delivered (file backend) at once
    db.session.add(OutboxMessage(message_id="<p@x>", to_address=me.email, subject="Wacht nog",
                                 text_body="Beste Ik", html_body="<p>Beste Ik</p>",
                                 next_attempt_at=utcnow()))  # fmt: skip
    queue_email(other.email, "core/test", subject="Voor een ander", idempotency_key="t:other")
    db.session.commit()
    avg.delete_account(db.session.get(User, me.id))
    db.session.commit()
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(r.to_address, r.subject, r.text_body, r.status) for r in rows[:2]] == [
        ("", "", "", "sent"), ("", "", "", "failed"),
    ]  # fmt: skip
    assert rows[2].to_address == "blijft@example.org"
    assert rows[2].subject == "Voor een ander"


def test_old_delivered_emails_are_purged_and_waiting_ones_kept(app, make_user):
    from core.mail import purge_outbox
    from core.models import OutboxMessage

    old = utcnow() - timedelta(days=100)
    for status in ("sent", "failed", "unknown", "pending"):
        db.session.add(OutboxMessage(message_id=f"<{status}@x>", to_address="a@example.org",
                                     subject=status, text_body="t", html_body="h",
                                     status=status, created_at=old,
                                     next_attempt_at=utcnow() + timedelta(days=1)))  # fmt: skip
    db.session.add(OutboxMessage(message_id="<new@x>", to_address="a@example.org",
                                 subject="recent", text_body="t", html_body="h", status="sent",
                                 next_attempt_at=utcnow()))  # fmt: skip
    db.session.commit()
    assert purge_outbox(timedelta(days=90)) == 3
    db.session.expire_all()
    left = sorted(db.session.scalars(select(OutboxMessage.subject)))
    assert left == ["pending", "recent"]
