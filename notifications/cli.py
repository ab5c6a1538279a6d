"""`flask digests send --frequency daily|weekly [--now ISO]`."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from core.db import utcnow

digests_cli = AppGroup("digests", help="Email digests.")


def _parse_now(value: str | None) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use ISO 8601, e.g. 2026-10-05T06:00:00+00:00") from exc
    # A time without zone is read as UTC: beat and cron run in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@digests_cli.command("send")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), required=True)
@click.option("--now", "now_text", default=None, help="ISO moment to act as now (default: now).")
def send(frequency: str, now_text: str | None) -> None:
    """Queue the digests that are due at this moment in each member's own time zone."""
    from notifications.delivery import enqueue_due_digests

    count = enqueue_due_digests(frequency, _parse_now(now_text))
    click.echo(f"{count} {frequency} digest(s) queued.")


def init_app(app: Flask) -> None:
    app.cli.add_command(digests_cli)
