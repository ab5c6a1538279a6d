"""Talking to the mail server: building the MIME message and the two backends.

`FileBackend` writes .eml files (the embedded default); `SMTPBackend` speaks SMTP with
STARTTLS and can keep one connection open for a batch. Errors are classified as
temporary (retry later) or permanent (never retry); core.mail decides what to do.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass
from email.header import Header
from email.utils import encode_rfc2231, formataddr, parseaddr
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


class MailMessage:
    """A MIME message (text and HTML alternatives, then any attachments), serialised
    straight to bytes.

    The `email` package's generator and its pure-Python quoted-printable encoder cost
    about 4 ms for a digest-sized message, more than the SMTP exchange itself; this
    writes the same structure with binascii's C encoders in a tenth of that. Headers
    read back with `message["Name"]` (None when absent), like `email.message.Message`.
    """

    def __init__(self, headers: list[tuple[str, str]], parts: list[_Part]) -> None:
        self._headers = headers
        self._parts = parts

    def __getitem__(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self._headers:
            if key.lower() == wanted:
                return value
        return None

    def as_bytes(self, linesep: str = "\n") -> bytes:
        eol = linesep.encode()
        out = [_header_lines(self._headers, linesep)]
        if len(self._parts) == 2 and all(p.kind == "text" for p in self._parts):
            out.append(_multipart("alternative", self._parts, eol))
        else:
            alternative = _Part("multipart", b"", _multipart("alternative", self._parts[:2], eol))
            out.append(_multipart("mixed", [alternative, *self._parts[2:]], eol))
        return b"".join(out)


@dataclass(frozen=True)
class _Part:
    kind: str  # text | multipart | attachment
    headers: bytes  # Content-Type … (for a multipart: its own headers are in `body`)
    body: bytes


def _header_lines(headers: list[tuple[str, str]], linesep: str) -> bytes:
    lines = []
    for name, value in headers:
        if value.isascii() and (len(name) + len(value) < 76 or " " not in value):
            # Short, or one word that folding could not split (a List-Unsubscribe URL).
            lines.append(f"{name}: {value}{linesep}")
        else:  # what the email package's generator does: RFC 2047 words, folded
            charset = None if value.isascii() else "utf-8"
            encoded = Header(value, charset, header_name=name).encode(linesep=linesep)
            lines.append(f"{name}: {encoded}{linesep}")
    return "".join(lines).encode("ascii")


def _multipart(subtype: str, parts: list[_Part], eol: bytes) -> bytes:
    # "=_" never occurs in quoted-printable ("=" is always "=3D") nor in base64 text.
    boundary = b"=_" + secrets.token_hex(16).encode()
    out = [b'Content-Type: multipart/' + subtype.encode() + b'; boundary="' + boundary + b'"',
           b"MIME-Version: 1.0", b""]  # fmt: skip
    for part in parts:
        out.append(b"--" + boundary)
        if part.kind == "multipart":
            out.append(part.body)  # its headers, a blank line and its parts
            continue
        out.extend((part.headers.replace(b"\n", eol), b"", part.body.replace(b"\n", eol)))
    out.append(b"--" + boundary + b"--")
    return eol.join(out) + eol


def _text_part(text: str, subtype: str) -> _Part:
    data = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    body = binascii.b2a_qp(data, istext=True)
    return _Part(
        "text",
        b"Content-Type: text/" + subtype.encode() + b'; charset="utf-8"\n'
        b"Content-Transfer-Encoding: quoted-printable",
        body,
    )


def _attachment_part(item: dict) -> _Part:
    maintype, subtype = item["content_type"].split("/", 1)
    content_type = f"{maintype}/{subtype}" + "".join(
        _param(key, value) for key, value in (item.get("params") or {}).items()
    )
    body = base64.encodebytes(item["content"].encode())
    return _Part(
        "attachment",
        (f"Content-Type: {content_type}\nContent-Transfer-Encoding: base64\n"
         f"Content-Disposition: attachment{_param('filename', item['filename'])}").encode(),
        body[:-1],
    )  # fmt: skip


def _param(key: str, value: str) -> str:
    if value.isascii() and not any(c in value for c in '"\\\r\n'):
        return f'; {key}="{value}"'
    return f"; {key}*={encode_rfc2231(value, 'utf-8')}"


def build_message(row: OutboxMessage, mail_from: str) -> MailMessage:
    """The MIME message of an outbox row: text and HTML alternatives, then any
    attachments."""
    name, address = parseaddr(mail_from)
    headers = [
        ("From", formataddr((name, address), charset="utf-8")),
        ("To", reject_header_injection(row.to_address, "recipient")),
        ("Subject", reject_header_injection(row.subject, "subject")),
        ("Message-ID", row.message_id),
        ("Date", row.created_at.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    ]
    for key, value in (row.headers or {}).items():
        headers.append((key, reject_header_injection(value, key)))
    parts = [_text_part(row.text_body, "plain"), _text_part(row.html_body, "html")]
    parts.extend(_attachment_part(item) for item in row.attachments or ())
    return MailMessage(headers, parts)


class FileBackend:
    """Writes each message to instance/outbox/<id>.eml (the embedded default)."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    @contextmanager
    def connection(self):
        yield self

    def send(self, message: MailMessage, row_id: int, before_data=lambda: None) -> None:
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

    def send(self, message: MailMessage, row_id: int, before_data=lambda: None) -> None:
        with self.connection() as conn:
            conn.send(message, row_id, before_data)


class SMTPConnection:
    """One SMTP session for many messages; opened on first use, closed after errors."""

    # The envelope (MAIL, RCPT) goes before `before_data`: core.mail commits the
    # hand-off meanwhile.
    has_envelope = True

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

    def send(self, message: MailMessage, row_id: int, before_data=lambda: None) -> None:
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
            code, reply = client.data(message.as_bytes(linesep="\r\n"))
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
