"""`flask digests send --frequency daily|weekly [--now ISO]`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from core.cli import parse_now

digests_cli = AppGroup("digests", help="Email digests.")


@digests_cli.command("send")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), required=True)
@click.option("--now", "now_text", default=None, help="ISO moment to act as now (default: now).")
def send(frequency: str, now_text: str | None) -> None:
    """Queue the digests that are due at this moment in each member's own time zone."""
    from notifications.delivery import enqueue_due_digests

    count = enqueue_due_digests(frequency, parse_now(now_text))
    click.echo(f"{count} {frequency} digest(s) queued.")


def init_app(app: Flask) -> None:
    app.cli.add_command(digests_cli)
