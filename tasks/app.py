"""Binds Celery to the Flask app (the pattern of Flask's examples/celery)."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask

from tasks.beat import BEAT_SCHEDULE


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.beat_schedule = BEAT_SCHEDULE
    if app.config["REDIS_URL"]:
        # Fail fast when Redis is down: the outbox keeps the work, the sweep retries it.
        celery_app.conf.broker_connection_timeout = 1
        celery_app.conf.broker_transport_options = {
            **celery_app.conf.broker_transport_options,
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
        }
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    # The task modules register their tasks (and the outbox's and digests' dispatch hooks).
    from tasks import advice, events, insight, mail, notifications  # noqa: F401

    return celery_app
