"""What a feature hands to the app factory (see ARCHITECTURE.md).

The list of features is assembled at the top, in `composition.py`; core never imports
a feature. A feature is its blueprint module plus, where it has them, its demo data
and its command-line commands:

    Feature(forum.views, demo=forum.demo)
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from flask import Flask


@dataclass(frozen=True)
class Feature:
    #: `bp` (a Blueprint) and optionally `init_app(app)` (receivers, context processors).
    views: ModuleType
    #: `seed_demo() -> list[(email, password, role)]`, run by `flask seed demo`.
    demo: ModuleType | None = None
    #: `init_app(app)` adding the feature's command group.
    cli: ModuleType | None = None


def register_features(app: Flask, features: tuple[Feature, ...]) -> None:
    app.extensions["features"] = features
    for feature in features:
        app.register_blueprint(feature.views.bp)
        init_app = getattr(feature.views, "init_app", None)
        if init_app is not None:
            init_app(app)
        if feature.cli is not None:
            feature.cli.init_app(app)


def demo_modules(app: Flask) -> list[ModuleType]:
    """The features' demo modules, in the order of the feature list."""
    return [f.demo for f in app.extensions.get("features", ()) if f.demo is not None]
