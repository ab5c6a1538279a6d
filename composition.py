"""The composition root: the features that make up Platform JEP, in layer order.

`wsgi.py`, the Celery worker, the tests and the benchmarks build the app here. Adding a
feature is one line in FEATURES (and its place in the layer order, see ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

import bench.seed
from advice import demo as advice_demo
from advice import views as advice_views
from api import views as api_views
from auth import cli as auth_cli
from auth import views as auth_views
from core import create_app as create_core_app
from core.features import Feature
from events import cli as events_cli
from events import demo as events_demo
from events import views as events_views
from forum import demo as forum_demo
from forum import views as forum_views
from groups import demo as groups_demo
from groups import views as groups_views
from home import views as home_views
from insight import demo as insight_demo
from insight import views as insight_views
from knowledge import demo as knowledge_demo
from knowledge import views as knowledge_views
from moderation import demo as moderation_demo
from moderation import views as moderation_views
from notifications import cli as notifications_cli
from notifications import demo as notifications_demo
from notifications import views as notifications_views
from search import cli as search_cli
from search import demo as search_demo
from search import views as search_views
from tasks.app import celery_init_app

FEATURES = (
    Feature(auth_views, cli=auth_cli),
    Feature(groups_views, demo=groups_demo),
    Feature(forum_views, demo=forum_demo),
    Feature(events_views, demo=events_demo, cli=events_cli),
    Feature(knowledge_views, demo=knowledge_demo),
    Feature(advice_views, demo=advice_demo),
    Feature(insight_views, demo=insight_demo),
    Feature(moderation_views, demo=moderation_demo),
    Feature(notifications_views, demo=notifications_demo, cli=notifications_cli),
    Feature(search_views, demo=search_demo, cli=search_cli),
    Feature(home_views),
    Feature(api_views),
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The whole app: core, the Celery app (tasks/) and every feature."""
    app = create_core_app(config, FEATURES, extensions=(celery_init_app,))
    bench.seed.init_app(app)
    return app
