"""`flask seed …` commands. Feature commands (users, digests) live in their packages;
`flask seed bench` is added by `composition.py` (bench/ is tooling, outside the layers)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core.extensions import db
from core.features import demo_modules

seed_cli = AppGroup("seed", help="Load reference data and demo content.")


def parse_now(value: str | None) -> datetime:
    """The `--now ISO` option of the scheduled-work commands; default: now. A time
    without zone is read as UTC: beat and cron run in UTC."""
    from core.db import utcnow

    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use ISO 8601, e.g. 2026-10-05T06:00:00+00:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Features contribute demo content through `<feature>.demo.seed_demo()` (named in their
# `Feature(…, demo=…)`), which returns the logins it created as (email, password, role).
# Regional groups and other start-up data come from the `taxonomy_seeders` hooks.
TAXONOMY_SEEDERS = "taxonomy_seeders"


@seed_cli.command("taxonomy")
def seed_taxonomy() -> None:
    """Regions, sectors, functions, tags, event types and one group per region."""
    counts = seed_taxonomy_data()
    db.session.commit()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


def seed_taxonomy_data() -> dict[str, int]:
    from core.taxonomy import load_taxonomy

    counts = load_taxonomy()
    for seed in current_app.extensions.get(TAXONOMY_SEEDERS, []):
        counts.update(seed())
    return counts


def register_taxonomy_seeder(app: Flask, seed) -> None:
    """`seed() -> {name: count}` runs after the taxonomy (`flask seed taxonomy|demo`)."""
    app.extensions.setdefault(TAXONOMY_SEEDERS, []).append(seed)


@seed_cli.command("demo")
def seed_demo() -> None:
    """Taxonomy plus demo members, groups, threads and events (idempotent)."""
    seed_taxonomy_data()
    logins: list[tuple[str, str, str]] = []
    for module in demo_modules(current_app):
        logins.extend(module.seed_demo() or [])
    db.session.commit()
    if logins:
        click.echo("Demo logins (email / password / role):")
        for email, password, role in logins:
            click.echo(f"  {email:<40} {password:<22} {role}")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_cli)
