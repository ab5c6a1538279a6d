"""The application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults → environment (and .env) → the given mapping."""
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
    _register_features(app)
    return app


def instance_path(config: dict[str, Any] | None = None) -> Path:
    """The instance folder: the given mapping, else `INSTANCE_PATH`, else ./instance."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    return Path(chosen) if chosen else ROOT / "instance"


def _init_extensions(app: Flask) -> None:
    from core import errors, i18n, querycount, security, templating
    from core.extensions import babel, csrf, db, limiter, login_manager, migrate
    from tasks.app import celery_init_app

    db.init_app(app)
    with app.app_context():
        from core.db import configure_sqlite

        configure_sqlite(db.engine)
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
    celery_init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    querycount.init_app(app)


def import_models() -> None:
    """Import every feature's models so that the metadata is complete."""
    import core.audit
    import core.models
    import core.taxonomy  # noqa: F401
    from core.features import feature_modules

    feature_modules("models")


def _register_features(app: Flask) -> None:
    from core import cli
    from core.features import feature_modules

    import_models()
    for views in feature_modules("views"):
        app.register_blueprint(views.bp)
        if hasattr(views, "init_app"):
            views.init_app(app)
    cli.init_app(app)
