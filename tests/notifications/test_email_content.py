"""What reply, mention, watch and accepted-answer emails show of the member's post:
rendered HTML in the HTML part, plain text in the text part, absolute links in both."""

from __future__ import annotations

import pytest

from core.extensions import db
from forum import services as forum
from forum.models import ThreadWatch
from tests.conftest import sent_emails


@pytest.fixture
def conversation(make_user, make_group):
    asker = make_user("Fatima El Amrani")
    sanne = make_user("Sanne Bakker")
    watcher = make_user("Wim Wachter")
    replier = make_user("Jeroen de Vries")
    group = make_group(members=[asker, sanne, watcher, replier])
    thread = forum.create_thread(group, asker, title="Signalen op school", body="Wat zien jullie?",
                                 kind="question")  # fmt: skip
    db.session.add(ThreadWatch(thread_id=thread.id, user_id=watcher.id, level="watch"))
    db.session.commit()
    post = forum.create_reply(
        thread, replier, body="Vraag het @[Sanne Bakker], zie **dit** en https://example.org/x."
    )
    db.session.commit()
    return thread, post, asker, sanne, watcher, replier


def _assert_clean(mail, base="http://localhost"):
    assert "<p>" not in mail.text_body
    assert "&lt;" not in mail.text_body
    assert "&lt;p&gt;" not in mail.html_body
    assert "&lt;a" not in mail.html_body
    assert "<strong>dit</strong>" in mail.html_body
    assert f'href="{base}/members/' in mail.html_body
    assert 'href="/members/' not in mail.html_body
    assert f"@Sanne Bakker ({base}/members/" in mail.text_body
    assert "https://example.org/x" in mail.text_body


def test_mention_reply_and_watch_emails_show_the_post_rendered_and_as_text(app, conversation):
    _thread, _post, asker, sanne, watcher, _replier = conversation
    for member in (asker, sanne, watcher):
        [mail] = [m for m in sent_emails(to=member.email) if m.kind == "notification"]
        _assert_clean(mail)


def test_the_accepted_answer_email_shows_the_answer_rendered(app, conversation):
    thread, post, asker, _sanne, _watcher, replier = conversation
    forum.accept_answer(thread, post, asker)
    db.session.commit()
    mail = [m for m in sent_emails(to=replier.email) if m.kind == "notification"][-1]
    assert "beste antwoord" in mail.subject
    _assert_clean(mail)


def test_in_app_notifications_keep_plain_text(app, conversation):
    from sqlalchemy import select

    from notifications.models import Notification

    _thread, _post, _asker, sanne, _watcher, _replier = conversation
    note = db.session.scalar(select(Notification).where(Notification.user_id == sanne.id))
    assert note.text.startswith("Vraag het @Sanne Bakker")
    assert "<" not in note.text
    assert "href" not in note.text
