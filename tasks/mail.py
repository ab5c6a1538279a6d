"""Email delivery tasks: thin wrappers around core.mail."""

from __future__ import annotations

from celery import shared_task

from core import mail
from core.mail_transport import TemporaryMailError
from tasks.beat import crontab, register


@shared_task(
    bind=True,
    name="tasks.mail.deliver_email",
    autoretry_for=(TemporaryMailError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=mail.MAX_ATTEMPTS,
)
def deliver_email(self, message_id: int) -> str:
    try:
        return mail.deliver_outbox_message(message_id)
    except mail.MessageInFlight as busy:
        # A worker that died holds the claim: come back when its lease has run out.
        raise self.retry(countdown=busy.seconds, max_retries=None) from busy


@shared_task(bind=True, name="tasks.mail.deliver_emails")
def deliver_emails(self, message_ids: list[int]) -> dict:
    """Deliver the emails one commit queued over one connection. Temporary failures wait
    (with backoff) for the sweep; rows another worker holds are tried again when its
    claim has run out."""
    outcome = mail.deliver_outbox_batch(message_ids)
    if outcome.in_flight:
        raise self.retry(
            args=[sorted(outcome.in_flight)],
            countdown=max(outcome.in_flight.values()),
            max_retries=None,
        )
    return dict(outcome)


@shared_task(name="tasks.mail.sweep_outbox")
def sweep_outbox() -> int:
    """Deliver what waits in the outbox (broker was down, retries due), over one
    connection per batch."""
    mail.reconcile_stuck_messages()
    ids = mail.due_outbox_ids()
    if ids:
        mail.deliver_outbox_batch(ids)
    return len(ids)


@shared_task(name="tasks.mail.purge_outbox")
def purge_outbox() -> int:
    """Daily: delete emails delivered or given up on longer ago than the retention."""
    from datetime import timedelta

    from flask import current_app

    return mail.purge_outbox(timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"]))


mail.register_delivery_tasks(deliver_email, deliver_emails)
register("purge-outbox", "tasks.mail.purge_outbox", crontab(hour=3, minute=30))
