"""MAIL_REPLY_TO: a Reply-To header when set, none otherwise."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.mail import render_email
from core.mail_transport import build_message


@pytest.fixture
def app_config():
    return {"MAIL_REPLY_TO": "Moderatie <moderatie@example.org>"}


def _message(app):
    row = render_email("lid@example.org", "core/test", subject="Test", context={"note": ""})
    from core.db import utcnow

    row.created_at = utcnow()
    return build_message(row, app.config["MAIL_FROM"])


def test_replies_go_to_mail_reply_to_when_it_is_set(sqlite_app):
    message = _message(sqlite_app)
    assert message["Reply-To"] == "Moderatie <moderatie@example.org>"
    assert "noreply" in message["From"]


def test_without_mail_reply_to_there_is_no_reply_to_header(sqlite_app):
    sqlite_app.config["MAIL_REPLY_TO"] = None
    assert _message(sqlite_app)["Reply-To"] is None


def test_a_line_break_in_mail_reply_to_is_refused(sqlite_app):
    sqlite_app.config["MAIL_REPLY_TO"] = "a@example.org\r\nBcc: b@example.org"
    with pytest.raises(ValueError, match="line break"):
        _message(sqlite_app)


def test_an_email_promises_a_read_reply_only_when_replies_go_somewhere(sqlite_app):
    user = SimpleNamespace(display_name="Sanne")
    promise = "Antwoord dan op deze e-mail"
    context = {"user": user, "reason": "Geen professional"}
    with_reply_to = render_email("a@example.org", "auth/rejected", subject="S", context=context)
    assert promise in with_reply_to.text_body
    assert promise in with_reply_to.html_body
    sqlite_app.config["MAIL_REPLY_TO"] = None
    without = render_email("a@example.org", "auth/rejected", subject="S", context=context)
    assert promise not in without.text_body
    assert promise not in without.html_body
