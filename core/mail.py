"""Email through a transactional outbox.

`queue_email` renders a message in the recipient's language and adds an outbox row to
the current transaction. Only when that transaction commits are the new rows handed to
Celery (`tasks.mail.deliver_email`); a rolled-back request sends nothing. If the broker
is unreachable the rows stay pending and the periodic sweep delivers them later.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import bindparam, case, delete, event, select, text, update
from sqlalchemy.orm import Session

from core.db import upsert_insert, utcnow
from core.extensions import db
from core.mail_transport import (
    PermanentMailError,
    TemporaryMailError,
    build_message,
    mail_backend,
    reject_header_injection,
)
from core.models import OutboxMessage

log = logging.getLogger(__name__)

PENDING_KEY = "outbox_pending_ids"
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0
# The Celery tasks that deliver one row and a batch of rows, registered by tasks.mail
# when the Celery app starts (core does not import tasks/). Without them the rows are
# delivered in-process.
_delivery_tasks: tuple = ()
# A worker holds a claimed row for at most this long (mail_transport.SMTP_TIMEOUT a step, a few
# steps); after it, a claim whose hand-off had not begun is taken over (worker died).
CLAIM_LEASE = timedelta(seconds=45)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: str
    params: dict[str, str] = field(default_factory=dict)


def queue_email(to: str, template: str, **options) -> OutboxMessage | None:
    """Render `emails/<template>.{txt,html}` and add it to the outbox in this transaction.

    `options` are `render_email`'s (subject, context, locale, kind, idempotency_key,
    unsubscribe_url, attachments). Returns None when a message with the same
    idempotency key already exists (it is never sent twice).
    """
    message = render_email(to, template, **options)
    if message.idempotency_key is None:
        db.session.add(message)
        db.session.flush()
        db.session.info.setdefault(PENDING_KEY, []).append(message.id)
        return message
    inserted = queue_emails([message])
    if not inserted:
        return None
    message.id = inserted[0]  # the row as written; not loaded back
    return message


def render_email(
    to: str,
    template: str,
    *,
    subject: str,
    context: dict | None = None,
    locale: str = "nl",
    kind: str = "service",
    idempotency_key: str | None = None,
    unsubscribe_url: str | None = None,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
) -> OutboxMessage:
    """The outbox row for a message, rendered but not added to the session.

    `subject` is a lazy or plain string translated under `locale`. Bulk messages
    (`unsubscribe_url` given) carry RFC 8058 one-click unsubscribe headers.
    """
    reject_header_injection(to, "recipient")
    # `can_reply`: only promise that a reply is read when replies go somewhere (MAIL_REPLY_TO).
    ctx = dict(context or {}, unsubscribe_url=unsubscribe_url,
               site_name=current_app.config["SITE_NAME"],
               can_reply=bool(current_app.config.get("MAIL_REPLY_TO")))  # fmt: skip
    with force_locale(locale):
        subject_text = reject_header_injection(str(subject), "subject")
        ctx["subject"] = subject_text
        text_body = render_template(f"emails/{template}.txt", **ctx)
        html_body = render_template(f"emails/{template}.html", **ctx)
    headers: dict[str, str] = {}
    reply_to = current_app.config.get("MAIL_REPLY_TO")
    if reply_to:
        # MAIL_FROM is often a no-reply address; replies then reach people who read them.
        headers["Reply-To"] = reject_header_injection(reply_to, "Reply-To")
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["Auto-Submitted"] = "auto-generated"
        headers["Precedence"] = "bulk"
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    now = utcnow()
    return OutboxMessage(
        idempotency_key=idempotency_key,
        message_id=make_msgid(domain=domain),
        to_address=to,
        subject=subject_text,
        text_body=text_body,
        html_body=html_body,
        headers=headers,
        attachments=[a.__dict__ for a in attachments],
        kind=kind,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


def queue_emails(messages: list[OutboxMessage]) -> list[int]:
    """Add rendered messages with idempotency keys to the outbox in one statement.

    INSERT … ON CONFLICT (idempotency_key) DO NOTHING: a key already queued (by an
    earlier or a concurrent run) is skipped and this transaction carries on unharmed.
    Returns the ids of the rows written; they are dispatched after the commit.
    """
    if not messages:
        return []
    if any(message.idempotency_key is None for message in messages):
        raise ValueError("queue_emails needs an idempotency key on every message")
    columns = [column.key for column in OutboxMessage.__table__.columns if column.key != "id"]
    rows = [{key: getattr(message, key) for key in columns} for message in messages]
    session = db.session
    insert = upsert_insert(session.get_bind().dialect.name)(OutboxMessage.__table__)
    # Rows as parameters: one cached statement, not one of rows x 16 compiled per call.
    insert = insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
    inserted = list(session.scalars(insert.returning(OutboxMessage.__table__.c.id), rows))
    session.info.setdefault(PENDING_KEY, []).extend(inserted)
    return inserted


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # A savepoint was released; the outer transaction may still roll back.
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        dispatch(ids)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    # A savepoint rollback (begin_nested) also lands here; keep ids of the outer transaction.
    if not session.in_transaction():
        session.info.pop(PENDING_KEY, None)


# Members' email preferences and unsubscribe links, registered by the notifications
# feature at start-up (core and the features below notifications do not import it).
_preferences: tuple = ()


def register_preferences(wants_email, unsubscribe_url) -> None:
    """`wants_email(user, kind) -> bool`, `unsubscribe_url(user, kind) -> str`."""
    global _preferences
    _preferences = (wants_email, unsubscribe_url)


def wants_email(user, kind: str) -> bool:
    """Whether the member takes email of this kind (True until preferences exist)."""
    return bool(_preferences[0](user, kind)) if _preferences else True


def unsubscribe_url(user, kind: str) -> str | None:
    """The one-click link that switches this kind of email off, if there is one."""
    return _preferences[1](user, kind) if _preferences else None


def register_delivery_tasks(deliver_one, deliver_many) -> None:
    """Called by tasks.mail: `deliver_one.apply_async(args=[id])`,
    `deliver_many.apply_async(args=[ids])`."""
    global _delivery_tasks
    _delivery_tasks = (deliver_one, deliver_many)


def dispatch(ids: list[int]) -> None:
    """Hand committed outbox rows to Celery; on a broker outage the sweep retries later.

    One row goes to `tasks.mail.deliver_email`; the rows of a commit that queued several
    (a digest batch, an event change) go together to `tasks.mail.deliver_emails`, which
    sends them over one connection."""
    eager = not _delivery_tasks or _delivery_tasks[0].app.conf.task_always_eager
    if eager:
        # In-process mode: deliver now; a temporary failure stays pending for the sweep.
        if len(ids) > 1:
            deliver_outbox_batch(ids)
            return
        for message_id in ids:
            try:
                deliver_outbox_message(message_id)
            except (TemporaryMailError, MessageInFlight):
                log.warning("outbox %s: not delivered now, left for the sweep", message_id)
        return
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return  # Known outage: don't make every request wait; the sweep delivers later.
    deliver_email, deliver_emails = _delivery_tasks
    try:
        if len(ids) > 1:
            deliver_emails.apply_async(args=[list(ids)], retry=False)
        else:
            deliver_email.apply_async(args=[ids[0]], retry=False)
    except Exception:  # The broker is down: the rows stay pending for the sweep.
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("outbox: broker unavailable, %d message(s) left for the sweep", len(ids))


# --- delivery -----------------------------------------------------------------------


class MessageInFlight(Exception):
    """Another worker holds the claim on this message; try again after its lease."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"claimed by another worker for {seconds:.0f} s more")
        self.seconds = seconds


def deliver_outbox_message(message_id: int, backend=None) -> str:
    """Claim one outbox row, send it, record the outcome. Returns the new status.

    The claim is a conditional UPDATE, so two workers given the same id (a redelivered
    task, a sweep racing a dispatch) never both send it. Delivery is two-phase: the row
    is `sending` while the worker talks to the server and turns `handoff` (committed)
    just before the message data goes out. A worker killed while `sending` sent
    nothing, so its claim is taken over after the lease; one killed in `handoff` may or
    may not have delivered, so that row is left for reconciliation (lost at most,
    never sent twice). This is `deliver_outbox_batch` for one row, with the outcomes a
    Celery task needs: TemporaryMailError to retry, MessageInFlight to come back later.
    """
    outcome = deliver_outbox_batch([message_id], backend)
    if outcome.in_flight:
        raise MessageInFlight(outcome.in_flight[message_id])
    if outcome["pending"]:
        raise TemporaryMailError(outcome.errors.get(message_id, "temporary failure"))
    for status in ("sent", "failed", "unknown"):
        if outcome[status]:
            return status
    return "skipped"


def _claimable(now):
    return (OutboxMessage.status == "pending") | (
        (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - CLAIM_LEASE)
    )


class DeliveryOutcome(Counter):
    """Messages per outcome of a batch; `in_flight` maps the rows another worker holds
    (claimed, hand-off not begun) to the seconds left on that claim."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight: dict[int, float] = {}
        self.errors: dict[int, str] = {}  # the last error of rows that failed


def deliver_outbox_batch(ids: list[int], backend=None) -> DeliveryOutcome:
    """Deliver many outbox rows over one connection; returns a count per outcome.

    The two-phase protocol described at `deliver_outbox_message`, with few commits: the
    rows are claimed in one statement, and the commit that marks a message `handoff`
    (just before its data) also records the previous message as `sent`. So at most one
    row of the batch is ever in `handoff`, and a crash loses at most that one message.
    When the server cannot be reached the unsent rest is released for a later run.
    """
    backend = backend or mail_backend()
    outcome = DeliveryOutcome()
    now = utcnow()
    mail_from = current_app.config["MAIL_FROM"]
    # Not expired on commit: the claimed rows are ours, and reloading every row of the
    # batch after each message's commit would cost a query per row per message. One
    # connection for the batch: a session on the engine would give it back to the pool
    # at each commit and check it out (with a pre-ping round trip) for the next.
    with db.engine.connect() as connection, Session(connection, expire_on_commit=False) as session:
        # The claim returns the claimed rows themselves: one round trip, not two.
        _commit_lazily(session)
        rows = sorted(
            session.scalars(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), _claimable(now))
                .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage),
                execution_options={"synchronize_session": False},
            ),
            key=lambda row: row.id,
        )
        session.commit()
        unclaimed = set(ids) - {row.id for row in rows}
        outcome["skipped"] = len(unclaimed)
        if unclaimed:
            for row_id, claimed_at in session.execute(
                select(OutboxMessage.id, OutboxMessage.claimed_at).where(
                    OutboxMessage.id.in_(unclaimed), OutboxMessage.status == "sending"
                )
            ):
                outcome.in_flight[row_id] = (claimed_at + CLAIM_LEASE - now).total_seconds() + 1
        sent_ids: list[int] = []  # delivered; recorded with the next commit

        def commit(handoff_id: int | None = None) -> None:
            # One statement marks the previous message sent and this one handed off.
            marked = [*sent_ids, handoff_id] if handoff_id is not None else sent_ids
            if handoff_id is None:
                _commit_lazily(session)  # only a hand-off must be on disk before the data
            if marked:
                session.flush()  # failures recorded on the ORM rows go first
                session.connection().execute(
                    _MARK, {"ids": marked, "handoff": handoff_id or 0, "now": utcnow()}
                )
            session.commit()
            sent_ids.clear()

        with backend.connection() as conn, ThreadPoolExecutor(1) as committer:
            # Over SMTP the hand-off's commit (an fsync, ~3 ms) runs while the envelope
            # (MAIL, RCPT) is exchanged; the data still waits for it to be on disk. A row
            # whose envelope is then refused goes from `handoff` to failed or pending.
            overlap = len(rows) > 1 and getattr(conn, "has_envelope", False)
            for index, row in enumerate(rows):
                message = build_message(row, mail_from)
                handoff = committer.submit(commit, row.id) if overlap else None
                try:
                    conn.send(message, row.id,
                              handoff.result if handoff else lambda row=row: commit(row.id))  # fmt: skip
                except PermanentMailError as exc:
                    _settle(handoff)
                    row.status = "failed"
                    row.last_error = outcome.errors[row.id] = str(exc)[:500]
                    log.warning("outbox %s: permanent failure %s", row.id, exc)
                except TemporaryMailError as exc:
                    _settle(handoff)
                    row.last_error = outcome.errors[row.id] = str(exc)[:500]
                    if row.attempts >= MAX_ATTEMPTS:
                        row.status = "failed"
                    else:
                        row.status = "pending"
                        row.next_attempt_at = utcnow() + retry_delay(row.attempts)
                    if getattr(conn, "lost", False):  # the server is unreachable: stop
                        _release(session, rows[index + 1 :])
                        outcome["pending"] += len(rows) - index - 1
                        outcome[row.status] += 1
                        break
                except Exception:
                    _settle(handoff)
                    session.rollback()  # `sent_ids` are not written yet, so nothing is lost
                    row.status, row.last_error = "unknown", "crashed during hand-off"
                    log.exception("outbox %s: unknown delivery outcome", row.id)
                else:
                    sent_ids.append(row.id)
                    outcome["sent"] += 1
                    continue
                outcome[row.status] += 1
        commit()
    return outcome


_OUTBOX = OutboxMessage.__table__
_HANDOFF = _OUTBOX.c.id == bindparam("handoff")
_MARK = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status=case((_HANDOFF, "handoff"), else_="sent"),
        sent_at=case((_HANDOFF, _OUTBOX.c.sent_at), else_=bindparam("now")),
        last_error=case((_HANDOFF, _OUTBOX.c.last_error), else_=None),
    )
)


def _settle(handoff: Future | None) -> None:
    """Wait for a hand-off commit still running: the session is not shared meanwhile."""
    if handoff is not None:
        wait([handoff])


def _commit_lazily(session: Session) -> None:
    """Let this commit return before PostgreSQL has it on disk (~3 ms of fsync). Safe for
    claims (one lost in a crash leaves the row pending, nothing sent) and `sent` marks
    (the row stays `handoff`: reconciled, never resent); hand-off commits stay synchronous
    and flush the log up to them, the lazy commits before them included."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def _release(session: Session, rows: list[OutboxMessage]) -> None:
    """Give claimed rows that were not tried back to the outbox, as if never claimed."""
    for row in rows:
        row.status, row.claimed_at, row.attempts = "pending", None, row.attempts - 1


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min … capped at one hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def due_outbox_ids(limit: int = 500) -> list[int]:
    """Rows waiting for (re)delivery: pending and due, or claimed by a worker that died
    before the hand-off began."""
    now = utcnow()
    stmt = (
        select(OutboxMessage.id)
        .where(
            ((OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now))
            | ((OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - CLAIM_LEASE))
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    with Session(db.engine) as session:
        return list(session.scalars(stmt))


def reconcile_stuck_messages() -> int:
    """Mark rows stuck in `handoff` (a worker died while the data went out) as `unknown`.

    Whether such a message left is not known; resending could deliver it twice, so it
    is logged for an operator to reconcile instead. Returns how many were marked.
    """
    with Session(db.engine) as session:
        stuck = list(
            session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.status == "handoff",
                    OutboxMessage.claimed_at < utcnow() - CLAIM_LEASE,
                )
            )
        )
        for row in stuck:
            row.status, row.last_error = "unknown", "worker lost during hand-off"
            log.warning("outbox %s: delivery outcome unknown, needs reconciliation", row.id)
        session.commit()
        return len(stuck)


def purge_outbox(retention: timedelta) -> int:
    """Delete emails that were delivered or given up on longer than `retention` ago:
    they hold personal data (addresses, names, what was discussed) that nobody needs
    once they left. Pending rows are never purged. Returns how many rows went."""
    with Session(db.engine) as session:
        deleted = session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(("sent", "failed", "unknown")),
                OutboxMessage.created_at < utcnow() - retention,
            )
        ).rowcount
        session.commit()
    return deleted


def forget_recipient(address: str) -> int:
    """AVG erasure of an address from the outbox, in the caller's transaction: every
    row to it loses address, subject and content, and what had not gone out yet never
    will. Returns how many rows were erased."""
    erased = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.to_address == address)
        .values(
            to_address="",
            subject="",
            text_body="",
            html_body="",
            headers={},
            attachments=[],
            status=case((OutboxMessage.status == "pending", "failed"), else_=OutboxMessage.status),
            last_error=case(
                (OutboxMessage.status == "pending", "recipient erased"),
                else_=OutboxMessage.last_error,
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return erased
