"""Celery tasks: thin entry points on top of the features.

The Celery app is bound to the Flask app by `tasks.app.celery_init_app` (handed to the
app factory by `composition.py`); start the worker with `celery -A wsgi:celery worker`
and the scheduler with `celery -A wsgi:celery beat`.
"""
