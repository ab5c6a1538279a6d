"""Celery entry point: `celery -A tasks worker` and `celery -A tasks beat`.

The Flask app (and with it the Celery app) is created lazily on first access of
`tasks.app`/`tasks.celery`, so that the app factory can import task modules freely.
"""

from __future__ import annotations

from typing import Any

_celery = None


def __getattr__(name: str) -> Any:
    global _celery
    if name in {"app", "celery"}:
        if _celery is None:
            from core import create_app

            _celery = create_app().extensions["celery"]
        return _celery
    raise AttributeError(name)
