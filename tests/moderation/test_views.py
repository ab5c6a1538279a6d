"""Moderation pages: reporting, the queue and its actions, suspension, the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from auth.models import User
from core.audit import AuditEvent
from core.db import utcnow
from core.extensions import db
from forum.models import Post, Thread
from moderation.models import Report
from tests.conftest import count_queries, sent_emails


@pytest.fixture
def scene(make_user, make_group, make_thread, join):
    author = make_user("Auteur")
    group = make_group("Jeugdwerk Utrecht", visibility="closed")
    join(group, author)
    thread = make_thread(group, author, title="Zorgen over een leerling", body="Lastige tekst.")
    return group, author, thread, thread.first_post


def client_for(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_a_member_reports_a_post_and_sees_a_thank_you(app, scene, make_user, join, login):
    group, _author, _thread, post = scene
    reporter = make_user()
    join(group, reporter)
    client = client_for(app, login, reporter)
    page = client.get(f"/posts/{post.id}/report")
    assert page.status_code == 200
    assert "112" in page.get_data(as_text=True)
    response = client.post(f"/posts/{post.id}/report", data={"reason": "overig", "note": "Kijk"})
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert (report.reporter_id, report.reason, report.note) == (reporter.id, "overig", "Kijk")
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Melding verstuurd" in thanks
    assert "0900-8844" not in thanks


def test_reporting_acute_danger_shows_what_to_do_now(app, scene, make_user, join, login):
    group, _author, _thread, post = scene
    reporter = make_user()
    join(group, reporter)
    client = client_for(app, login, reporter)
    response = client.post(f"/posts/{post.id}/report", data={"reason": "acuut_gevaar"},
                           follow_redirects=True)  # fmt: skip
    text = response.get_data(as_text=True)
    assert "112" in text
    assert "0900-8844" in text
    assert "Zorg- en Veiligheidshuis" in text


def test_reporting_without_a_reason_keeps_the_note_and_explains(app, scene, make_user,
                                                                join, login):  # fmt: skip
    group, _author, _thread, post = scene
    reporter = make_user()
    join(group, reporter)
    response = client_for(app, login, reporter).post(
        f"/posts/{post.id}/report", data={"reason": "", "note": "Mijn toelichting"}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Kies een reden." in text
    assert "Mijn toelichting" in text
    assert db.session.scalar(select(Report)) is None


def test_a_member_who_cannot_read_the_group_gets_404(app, scene, make_user, login):
    _group, _author, _thread, post = scene
    client = client_for(app, login, make_user())
    assert client.get(f"/posts/{post.id}/report").status_code == 404
    assert client.post(f"/posts/{post.id}/report", data={"reason": "overig"}).status_code == 404


def test_a_plain_member_cannot_use_the_queue_or_act(app, scene, make_user, join, login):
    group, _author, thread, post = scene
    member = make_user()
    join(group, member)
    client = client_for(app, login, member)
    assert client.get("/moderation").status_code == 403
    assert client.get(f"/moderation/posts/{post.id}").status_code == 404
    assert (
        client.post(f"/moderation/posts/{post.id}/hide", data={"hide-reason": "x"}).status_code
        == 404
    )
    assert client.post(f"/moderation/threads/{thread.id}/lock").status_code == 404
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None


def test_a_site_moderator_without_2fa_is_sent_to_enrol(app, make_user, login):
    client = client_for(app, login, make_user(role="moderator"))
    response = client.get("/moderation")
    assert response.status_code == 302
    assert "/account/security" in response.headers["Location"]


def test_a_coordinator_sees_reports_of_their_own_groups_only(app, scene, make_user, make_group,
                                                             make_thread, join, login):  # fmt: skip
    group, author, _thread, post = scene
    coordinator = make_user("Coördinator")
    join(group, coordinator, role="coordinator")
    other_group = make_group("Elders")
    other_post = make_thread(other_group, author, title="Ander gesprek").first_post
    db.session.add_all([
        Report(post_id=post.id, reporter_id=author.id, reason="overig", note="hier"),
        Report(post_id=other_post.id, reporter_id=author.id, reason="overig", note="elders"),
    ])  # fmt: skip
    db.session.commit()
    client = client_for(app, login, coordinator)
    text = client.get("/moderation").get_data(as_text=True)
    assert "Zorgen over een leerling" in text
    assert "Ander gesprek" not in text
    assert client.get(f"/moderation/posts/{other_post.id}").status_code == 404
    assert client.get(f"/moderation/posts/{post.id}").status_code == 200
    assert client.post(f"/moderation/posts/{post.id}/hide",
                       data={"hide-reason": "Te herleidbaar"}).status_code == 302  # fmt: skip
    # Coordinators cannot suspend accounts site-wide.
    assert client.get(f"/moderation/members/{author.id}").status_code == 403


def test_the_moderation_flow_end_to_end(app, scene, make_user, join, login,
                                        moderator_client):  # fmt: skip
    """report → queue → hide → author notified → audit entry."""
    group, author, thread, post = scene
    reporter = make_user()
    join(group, reporter)
    client_for(app, login, reporter).post(
        f"/posts/{post.id}/report", data={"reason": "persoonsgegevens_jongere"}
    )
    client, moderator = moderator_client
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Persoonsgegevens van een jongere" in queue
    assert thread.title in queue
    assert f"/moderation/posts/{post.id}" in queue
    response = client.post(f"/moderation/posts/{post.id}/hide",
                           data={"hide-reason": "Naam en school van de jongere genoemd."})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    hidden = db.session.get(Post, post.id)
    assert hidden.hidden_reason == "Naam en school van de jongere genoemd."
    (mail,) = sent_emails(to=author.email)
    assert "Naam en school van de jongere genoemd." in mail.text_body
    from notifications import models as notifications

    in_app = db.session.scalars(
        select(notifications.Notification).where(notifications.Notification.user_id == author.id)
    ).all()
    assert [n.text for n in in_app] == ["Naam en school van de jongere genoemd."]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "post.hide"))
    assert (event.actor_id, event.subject_user_id) == (moderator.id, author.id)
    resolved = client.get("/moderation?status=resolved").get_data(as_text=True)
    assert thread.title in resolved
    assert moderator.display_name in resolved
    assert db.session.scalar(select(Report.status)) == "resolved"


def test_hiding_without_a_reason_shows_an_error_and_changes_nothing(app, scene, moderator_client):
    _group, _author, _thread, post = scene
    client, _moderator = moderator_client
    response = client.post(f"/moderation/posts/{post.id}/hide", data={"hide-reason": ""})
    assert response.status_code == 400
    assert "Geef een reden op" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None


def test_moderator_redacts_restores_locks_and_hides_through_the_pages(app, scene,
                                                                      moderator_client):  # fmt: skip
    _group, _author, thread, post = scene
    client, _moderator = moderator_client
    base = f"/moderation/posts/{post.id}"
    assert client.get(base).status_code == 200
    bad = client.post(f"{base}/redact", data={"redact-reason": "Naam"})
    assert bad.status_code == 400
    assert client.post(f"{base}/redact", data={"redact-remove_text": "Lastige",
                                               "redact-reason": "Naam"}).status_code == 302  # fmt: skip
    assert client.post(f"{base}/hide", data={"hide-reason": "R"}).status_code == 302
    assert client.post(f"{base}/restore").status_code == 302
    assert client.post(f"/moderation/threads/{thread.id}/lock").status_code == 302
    assert client.post(f"/moderation/threads/{thread.id}/hide",
                       data={"hidethread-reason": "Weg"}).status_code == 302  # fmt: skip
    db.session.expire_all()
    post, thread = db.session.get(Post, post.id), db.session.get(Thread, thread.id)
    assert "Lastige" not in post.body_source
    assert post.hidden_at is None
    assert thread.is_locked
    assert thread.hidden_at is not None
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["post.redact", "post.hide", "post.restore", "thread.lock", "thread.hide"]


def test_suspension_ends_sessions_at_once_and_shows_the_reason_at_login(app, scene, login,
                                                                        moderator_client):  # fmt: skip
    _group, author, _thread, _post = scene
    author_client = client_for(app, login, author)
    client, _moderator = moderator_client
    until = (utcnow() + timedelta(days=10)).date().isoformat()
    response = client.post(f"/moderation/members/{author.id}/suspend",
                           data={"reason": "Schelden in gesprekken", "until": until})  # fmt: skip
    assert response.status_code == 302
    assert author_client.get("/account/profile").status_code == 302  # logged out
    login_page = author_client.post(
        "/auth/login", data={"email": author.email, "password": "correct horse battery staple"}
    ).get_data(as_text=True)
    assert "Schelden in gesprekken" in login_page
    assert client.post(f"/moderation/members/{author.id}/lift").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, author.id).status == "active"


def test_a_suspension_end_date_in_the_past_is_explained(app, scene, moderator_client):
    _group, author, _thread, _post = scene
    client, _moderator = moderator_client
    response = client.post(f"/moderation/members/{author.id}/suspend",
                           data={"reason": "R", "until": "2000-01-01"})  # fmt: skip
    assert response.status_code == 400
    assert "Kies een datum in de toekomst." in response.get_data(as_text=True)


def test_the_audit_log_is_for_admins_and_filterable(app, scene, make_user, login,
                                                    moderator_client):  # fmt: skip
    _group, _author, thread, post = scene
    client, moderator = moderator_client
    client.post(f"/moderation/posts/{post.id}/hide", data={"hide-reason": "Reden A"})
    client.post(f"/moderation/threads/{thread.id}/lock", data={"thread-reason": "Reden B"})
    assert client.get("/moderation/audit").status_code == 403
    admin = client_for(app, login, make_user(role="admin", with_2fa=True))
    page = admin.get("/moderation/audit").get_data(as_text=True)
    assert "Reden A" in page
    assert "Reden B" in page
    filtered = admin.get("/moderation/audit?action=thread.lock").get_data(as_text=True)
    assert "Reden B" in filtered
    assert "Reden A" not in filtered
    by_actor = admin.get(f"/moderation/audit?actor={moderator.id}").get_data(as_text=True)
    assert "Reden A" in by_actor
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "Reden A" not in admin.get(f"/moderation/audit?date_from={tomorrow}").get_data(
        as_text=True
    )
    assert admin.get("/moderation/audit?date_from=gisteren").status_code == 200


def test_no_route_changes_or_deletes_audit_events(app, scene, make_user, login):
    """Append-only: every route that accepts PUT/PATCH/DELETE or mentions audit is probed."""
    admin_user = make_user(role="admin", with_2fa=True)
    admin = client_for(app, login, admin_user)
    from core.audit import record_audit

    event = record_audit(admin_user, "test.action", "user", admin_user.id, reason="origineel")
    db.session.commit()
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert [r.rule for r in audit_rules] == ["/moderation/audit"]
    assert audit_rules[0].methods <= {"GET", "HEAD", "OPTIONS"}
    for rule in app.url_map.iter_rules():
        assert not rule.methods & {"PUT", "PATCH", "DELETE"}, rule.rule
    for method in ("post", "put", "patch", "delete"):
        response = getattr(admin, method)(f"/moderation/audit?id={event.id}",
                                          data={"reason": "gewijzigd"})  # fmt: skip
        assert response.status_code == 405
    db.session.expire_all()
    assert db.session.get(AuditEvent, event.id).reason == "origineel"


def test_the_queue_runs_a_fixed_number_of_queries(app, scene, make_user, moderator_client):
    _group, author, thread, _post = scene
    client, _moderator = moderator_client

    def add_reports(n):
        for i in range(n):
            post = Post(thread_id=thread.id, author_id=author.id, body_source=f"p{i}",
                        body_html=f"<p>p{i}</p>")  # fmt: skip
            db.session.add(post)
            db.session.flush()
            db.session.add(Report(post_id=post.id, reporter_id=author.id, reason="overig"))
        db.session.commit()

    add_reports(3)
    with count_queries() as few:
        assert client.get("/moderation").status_code == 200
    add_reports(30)
    with count_queries() as many:
        assert client.get("/moderation").status_code == 200
    assert many.count == few.count, many.statements


def test_the_audit_log_runs_a_fixed_number_of_queries(app, make_user, login):
    from core.audit import record_audit

    admin_user = make_user(role="admin", with_2fa=True)
    admin = client_for(app, login, admin_user)

    def add_events(n):
        for _ in range(n):
            record_audit(admin_user, "x.y", "user", admin_user.id, subject_user=make_user())
        db.session.commit()

    add_events(3)
    with count_queries() as few:
        admin.get("/moderation/audit")
    add_events(20)
    with count_queries() as many:
        admin.get("/moderation/audit")
    assert many.count == few.count, many.statements
