"""Talking to the mail server: building the MIME message and the two backends.

`FileBackend` writes .eml files (the embedded default); `SMTPBackend` speaks SMTP with
STARTTLS and can keep one connection open for a batch. Errors are classified as
temporary (retry later) or permanent (never retry); core.mail decides what to do.
"""

from __future__ import annotations

import smtplib
from contextlib import contextmanager
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app

from core.db import utcnow
from core.models import OutboxMessage

# Seconds per SMTP step; core.mail's claim lease allows for a few steps.
SMTP_TIMEOUT = 10


class TemporaryMailError(Exception):
    """The SMTP server could not take the message now; try again later."""


class PermanentMailError(Exception):
    """The SMTP server refused the message for good."""


def reject_header_injection(value: str, what: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in email {what}")
    return value


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # readable in instance/outbox/*.eml, unlike base64


def build_message(row: OutboxMessage, mail_from: str) -> Message:
    """The MIME message: text and HTML alternatives, then any attachments.

    Built with the `email.mime` classes, which are several times cheaper than
    EmailMessage's header registry; that matters when a digest run sends thousands.
    """
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(row.text_body, "plain", _UTF8))
    body.attach(MIMEText(row.html_body, "html", _UTF8))
    msg = body
    if row.attachments:
        msg = MIMEMultipart("mixed")
        msg.attach(body)
        for item in row.attachments:
            maintype, subtype = item["content_type"].split("/", 1)
            part = MIMEBase(maintype, subtype, **(item.get("params") or {}))
            part.set_payload(item["content"].encode())
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=item["filename"])
            msg.attach(part)
    name, address = parseaddr(mail_from)
    msg["From"] = formataddr((name, address), charset="utf-8")
    msg["To"] = reject_header_injection(row.to_address, "recipient")
    subject = reject_header_injection(row.subject, "subject")
    msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()
    msg["Message-ID"] = row.message_id
    msg["Date"] = row.created_at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    for name, value in (row.headers or {}).items():
        msg[name] = reject_header_injection(value, name)
    return msg


class FileBackend:
    """Writes each message to instance/outbox/<id>.eml (the embedded default)."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    @contextmanager
    def connection(self):
        yield self

    def send(self, message: Message, row_id: int, before_data=lambda: None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        before_data()
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        target = self.directory / f"{stamp}-{row_id:06d}.eml"
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(message.as_bytes())
        tmp.replace(target)


class SMTPBackend:
    """smtp://user:pass@host:587 with STARTTLS when offered (required with ?tls=required);
    smtps://host:465 for implicit TLS.

    `send` uses a connection for one message; `with backend.connection() as conn:` keeps
    one open for many (`conn.send`), reconnecting after an error.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if parts.scheme == "smtps" else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.require_tls = "tls=required" in (parts.query or "")

    @contextmanager
    def connection(self):
        conn = SMTPConnection(self)
        try:
            yield conn
        finally:
            conn.close()

    def send(self, message: Message, row_id: int, before_data=lambda: None) -> None:
        with self.connection() as conn:
            conn.send(message, row_id, before_data)


class SMTPConnection:
    """One SMTP session for many messages; opened on first use, closed after errors."""

    def __init__(self, backend: SMTPBackend) -> None:
        self.backend = backend
        self.client: smtplib.SMTP | None = None
        self.lost = False  # the last message failed for want of a connection

    def _open(self) -> smtplib.SMTP:
        b = self.backend
        if b.scheme == "smtps":
            client = smtplib.SMTP_SSL(b.host, b.port, timeout=SMTP_TIMEOUT)
        else:
            client = smtplib.SMTP(b.host, b.port, timeout=SMTP_TIMEOUT)
        try:
            client.ehlo()
            if b.scheme != "smtps":
                if client.has_extn("starttls"):
                    client.starttls()
                    client.ehlo()
                elif b.require_tls:
                    raise TemporaryMailError("server does not offer STARTTLS")
            if b.username:
                client.login(b.username, b.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError):
                self.client.close()
            self.client = None

    def send(self, message: Message, row_id: int, before_data=lambda: None) -> None:
        sender = parseaddr(message["From"])[1]
        recipient = parseaddr(message["To"])[1]
        self.lost = False
        try:
            if self.client is None:
                self.client = self._open()
            client = self.client
            # Envelope first, then mark the hand-off, then the data: a crash before
            # the data leaves nothing delivered, so the message may be retried.
            code, reply = client.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            code, reply = client.rcpt(recipient)
            if code not in {250, 251}:
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
            before_data()
            code, reply = client.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        except smtplib.SMTPResponseException as exc:
            self._reset()
            code = exc.smtp_code
            detail = f"SMTP {code}"
            if 500 <= code < 600:
                raise PermanentMailError(detail) from exc
            raise TemporaryMailError(detail) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            codes = [code for code, _ in exc.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentMailError(f"SMTP recipients refused {codes}") from exc
            raise TemporaryMailError(f"SMTP recipients refused {codes}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self.close()
            self.lost = True
            raise TemporaryMailError(type(exc).__name__) from exc
        except BaseException:
            self.close()
            raise

    def _reset(self) -> None:
        """After a refusal the session may go on with the next message (RSET)."""
        try:
            if self.client is not None:
                self.client.rset()
        except (smtplib.SMTPException, OSError):
            self.close()


def mail_backend():
    smtp_url = current_app.config["SMTP_URL"]
    if smtp_url:
        return SMTPBackend(smtp_url)
    return FileBackend(current_app.config["OUTBOX_DIR"])
