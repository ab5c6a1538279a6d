"""The application factory. It knows no feature: the features are handed to it
(`composition.py` assembles the list, see ARCHITECTURE.md)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from core.features import Feature

ROOT = Path(__file__).resolve().parent.parent


def create_app(
    config: dict[str, Any] | None = None,
    features: Sequence[Feature] = (),
    extensions: Sequence[Callable[[Flask], object]] = (),
) -> Flask:
    """Build the app: defaults → environment (and .env) → the given mapping; then the
    `extensions` (e.g. the Celery app) and the `features`, in the order given."""
    from core.config import build_config

    app = Flask(
        "platform_jep",
        root_path=str(ROOT),
        instance_path=str(instance_path(config)),
        template_folder="templates",
        static_folder="static",
    )
    app.config.update(build_config(Path(app.instance_path), ROOT, config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    for init_extension in extensions:
        init_extension(app)
    _register_features(app, tuple(features))
    return app


def instance_path(config: dict[str, Any] | None = None) -> Path:
    """The instance folder: the given mapping, else `INSTANCE_PATH`, else ./instance."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    return Path(chosen) if chosen else ROOT / "instance"


def _init_extensions(app: Flask) -> None:
    from core import errors, i18n, querycount, security, templating, transactions
    from core.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        from core.db import configure_sqlite, ping_after_idle

        configure_sqlite(db.engine)
        ping_after_idle(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=i18n.select_timezone,
        default_translation_directories=str(ROOT / "translations"),
    )
    login_manager.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    querycount.init_app(app)
    transactions.init_app(app)


def _register_features(app: Flask, features: tuple[Feature, ...]) -> None:
    import core.audit
    import core.models
    import core.taxonomy  # noqa: F401
    from core import cli, views
    from core.features import Feature, register_features

    register_features(app, (Feature(views), *features))
    cli.init_app(app)
