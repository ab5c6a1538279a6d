"""Entry points: `gunicorn wsgi:app`, `flask --app wsgi …`, `celery -A wsgi:celery …`."""

from composition import create_app

app = create_app()
celery = app.extensions["celery"]
