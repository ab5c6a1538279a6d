"""`flask search reindex`: rebuild the search index from the forum and events."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from core.extensions import db

search_cli = AppGroup("search", help="Search index.")


@search_cli.command("reindex")
def reindex() -> None:
    """Empty the search index and fill it again (safe to run at any time)."""
    from search.index import rebuild_index

    counts = rebuild_index(db.session.connection())
    db.session.commit()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()) + " indexed")


def init_app(app: Flask) -> None:
    app.cli.add_command(search_cli)
