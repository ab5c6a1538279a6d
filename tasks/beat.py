"""The beat schedule. Run exactly one `celery -A wsgi:celery beat`; every task it starts is
idempotent, so a second scheduler by mistake duplicates work, never email."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "tasks.mail.sweep_outbox", "schedule": 60.0},
}


# Features add their periodic tasks here.
def register(name: str, task: str, schedule) -> None:
    BEAT_SCHEDULE[name] = {"task": task, "schedule": schedule}


__all__ = ["BEAT_SCHEDULE", "crontab", "register"]
