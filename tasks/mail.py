"""Email delivery tasks: thin wrappers around core.mail."""

from __future__ import annotations

from celery import shared_task

from core import mail


@shared_task(
    name="tasks.mail.deliver_email",
    autoretry_for=(mail.TemporaryMailError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=mail.MAX_ATTEMPTS,
)
def deliver_email(message_id: int) -> str:
    return mail.deliver_outbox_message(message_id)


@shared_task(name="tasks.mail.sweep_outbox")
def sweep_outbox() -> int:
    """Re-dispatch what waits in the outbox (broker was down, retries due)."""
    mail.reconcile_stuck_messages()
    ids = mail.due_outbox_ids()
    mail.dispatch(ids)
    return len(ids)
