"""The MIME message built from an outbox row: what a mail client reads back from it."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from types import SimpleNamespace

from core.mail_transport import build_message

UNSUBSCRIBE = "<https://jep.example/meldingen/afmelden/" + "t" * 120 + ">"


def _row(**overrides):
    values = {
        "to_address": "lid@example.org",
        "subject": "3 nieuwe gesprekken — „één” open vraag",
        "message_id": "<m1@jep.example>",
        "created_at": datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
        "headers": {"List-Unsubscribe": UNSUBSCRIBE, "Precedence": "bulk"},
        "text_body": "Beste Sanne,   \n.een regel met een punt\r\nFrom nu af: één ü\n",
        "html_body": "<p>Beste Sanne, =3D geen code</p>\n" + "<p>" + "lang " * 200 + "</p>\n",
        "attachments": [],
    }
    return SimpleNamespace(**{**values, **overrides})


def _read(row, linesep="\n"):
    raw = build_message(row, "Jeugd & Polarisatie — JEP <noreply@jep.example>").as_bytes(linesep)
    return raw, message_from_bytes(raw, policy=policy.default)


def test_a_mail_client_reads_back_the_texts_and_headers_exactly():
    row = _row()
    for linesep in ("\n", "\r\n"):
        raw, message = _read(row, linesep)
        assert message.get_content_type() == "multipart/alternative"
        assert not message.defects
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
        assert text == row.text_body.replace("\r\n", "\n")
        assert html == row.html_body
        assert message["Subject"] == row.subject
        assert message["From"].addresses[0].display_name == "Jeugd & Polarisatie — JEP"
        assert message["To"] == "lid@example.org"
        assert message["List-Unsubscribe"] == UNSUBSCRIBE
        assert message["Date"].datetime == row.created_at
        assert max(len(line) for line in raw.splitlines()) <= 998
    assert b"\n" not in raw.replace(b"\r\n", b"")  # SMTP wants CRLF only


def test_attachments_follow_the_alternatives():
    invite = {"filename": "uitnodiging.ics", "content_type": "text/calendar",
              "content": "BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n",
              "params": {"method": "REQUEST"}}  # fmt: skip
    _raw, message = _read(_row(attachments=[invite]))
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "uitnodiging.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content().replace("\r\n", "\n") == invite["content"]
    assert "één ü" in message.get_body(("plain",)).get_content()


def test_headers_read_back_from_the_built_message():
    message = build_message(_row(), "JEP <noreply@jep.example>")
    assert message["to"] == "lid@example.org"
    assert message["Reply-To"] is None
