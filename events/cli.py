"""`flask events send-reminders [--now ISO]`: what beat runs every 15 minutes."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from core.cli import parse_now
from core.extensions import db

events_cli = AppGroup("events", help="Events and meetings.")


@events_cli.command("send-reminders")
@click.option("--now", "now_text", default=None, help="ISO moment to act as now (default: now).")
def send_reminders(now_text: str | None) -> None:
    """Queue reminders for events starting within EVENT_REMINDER_HOURS (idempotent)."""
    from events.services import send_due_reminders

    count = send_due_reminders(parse_now(now_text))
    db.session.commit()
    click.echo(f"{count} reminder(s) queued.")


def init_app(app: Flask) -> None:
    app.cli.add_command(events_cli)
