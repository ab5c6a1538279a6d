"""`flask seed …` commands. Feature commands (users, digests) live in their packages."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import AppGroup

from core.extensions import db
from core.features import feature_modules

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


# Features contribute demo content through `<feature>.demo.seed_demo()`, which returns
# the logins it created as (email, password, role).


@seed_cli.command("taxonomy")
def seed_taxonomy() -> None:
    """Regions, sectors, functions, tags, event types and one group per region."""
    counts = seed_taxonomy_data()
    db.session.commit()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


def seed_taxonomy_data() -> dict[str, int]:
    from core.taxonomy import load_taxonomy
    from groups.services import ensure_regional_groups

    counts = load_taxonomy()
    counts["regional groups"] = ensure_regional_groups()
    return counts


@seed_cli.command("demo")
def seed_demo() -> None:
    """Taxonomy plus demo members, groups, threads and events (idempotent)."""
    seed_taxonomy_data()
    logins: list[tuple[str, str, str]] = []
    for module in feature_modules("demo"):
        logins.extend(module.seed_demo() or [])
    db.session.commit()
    if logins:
        click.echo("Demo logins (email / password / role):")
        for email, password, role in logins:
            click.echo(f"  {email:<40} {password:<22} {role}")


@seed_cli.command("bench")
@click.option("--scale", type=float, default=1.0, help="1.0 = 10,000 members, 400,000 posts.")
def seed_bench(scale: float) -> None:
    """A large synthetic community for benchmarks (into an empty database)."""
    from bench.seed import seed_bench as fill

    counts = fill(scale, echo=click.echo)
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_cli)
    for module in feature_modules("cli"):
        if module.__name__ != __name__:
            module.init_app(app)
