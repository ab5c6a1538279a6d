"""`flask users …` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from auth.models import ROLES
from core.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), default="member")
@click.option("--password", default=None, help="Generated and printed when omitted.")
def create(email: str, name: str, role: str, password: str | None) -> None:
    """Create an active, approved account (or update an existing one)."""
    from auth.passwords import password_problems
    from auth.services import create_user

    if password and (problems := password_problems(password, email=email, name=name)):
        raise click.BadParameter(" ".join(problems), param_hint="--password")
    user, password_used = create_user(email, name, role, password)
    db.session.commit()
    click.echo(f"{user.email} ({role}) created.")
    if not password:
        click.echo(f"Password: {password_used}")


@users_cli.command("approve")
@click.argument("email")
def approve(email: str) -> None:
    """Approve a pending account."""
    from auth.services import approve_member, find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    if user.status != "pending":
        raise click.ClickException(f"{email} is {user.status}, not pending.")
    approve_member(user, actor=None)
    db.session.commit()
    click.echo(f"{email} approved.")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
