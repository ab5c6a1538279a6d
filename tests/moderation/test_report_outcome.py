"""The member who reported a post is told the outcome (DSA art. 16(5)): in the app and by
email, in their own language, whether action was taken and why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from moderation import services
from notifications.models import Notification
from tests.conftest import sent_emails


@pytest.fixture
def reported(make_user, make_group, make_thread):
    author = make_user("Auteur")
    moderator = make_user("Mod", role="moderator", with_2fa=True)
    reporter = make_user("Melder")
    thread = make_thread(make_group(), author, title="Zorgen over een leerling")
    post = thread.first_post
    report = services.report_post(post, reporter, services.NewReport("persoonsgegevens_jongere"))
    db.session.commit()
    return reporter, moderator, post, report


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_a_hidden_post_tells_the_reporter_action_was_taken_and_why(app, reported):
    reporter, moderator, post, _report = reported
    services.hide_post(post, moderator, "Naam en school van een leerling")
    db.session.commit()
    [note] = _notes(reporter)
    assert "we hebben actie ondernomen" in note.title
    assert "Het bericht is verborgen." in note.text
    assert "Naam en school van een leerling" in note.text
    [mail] = sent_emails(to=reporter.email)
    assert mail.subject == "Je melding is behandeld"
    assert "Uitkomst: we hebben actie ondernomen." in mail.text_body
    assert "Naam en school van een leerling" in mail.text_body
    assert "Persoonsgegevens van een jongere" in mail.text_body


def test_a_dismissed_report_tells_the_reporter_no_action_and_why(app, reported):
    reporter, moderator, _post, report = reported
    services.resolve_report(
        report, moderator, status="dismissed", note="Dit is een verzonnen voorbeeld."
    )
    db.session.commit()
    [note] = _notes(reporter)
    assert "we ondernemen geen actie" in note.title
    assert "Dit is een verzonnen voorbeeld." in note.text
    [mail] = sent_emails(to=reporter.email)
    assert "Uitkomst: we ondernemen geen actie." in mail.text_body
    assert "Dit is een verzonnen voorbeeld." in mail.html_body


def test_the_reporter_is_told_in_their_own_language(app, reported):
    reporter, moderator, _post, report = reported
    reporter.language = "en"
    db.session.commit()
    services.resolve_report(report, moderator, status="dismissed", note="Fictional example.")
    db.session.commit()
    [note] = _notes(reporter)
    assert "no action" in note.title
    [mail] = sent_emails(to=reporter.email)
    assert mail.subject == "Your report has been handled"
    assert "Outcome: we are not taking action." in mail.text_body


def test_a_reporter_with_several_reports_is_told_once(app, reported):
    reporter, moderator, post, _report = reported
    services.report_post(post, reporter, services.NewReport("overig", "nog eens"))
    db.session.commit()
    services.hide_post(post, moderator, "Reden")
    db.session.commit()
    assert len(_notes(reporter)) == 1
    assert len(sent_emails(to=reporter.email)) == 1
