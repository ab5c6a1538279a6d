"""Load held: 50 simulated members for 60 s against gunicorn + PostgreSQL + Redis + a
Celery worker. Zero 5xx, zero lost posts, event capacity never exceeded."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.db import utcnow
from core.extensions import db
from core.text import render_markdown
from tests.conftest import TEST_PASSWORD
from tests.fixtures.live import free_port

pytestmark = pytest.mark.services

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))


@pytest.fixture
def app_config(redis_url, smtp_server):
    return {"REDIS_URL": redis_url, "SMTP_URL": smtp_server.url}


@pytest.fixture
def app(pg_app):
    """This test runs on PostgreSQL only: the factories must write to it too."""
    return pg_app


def seed(make_user) -> dict:
    from events.models import Event
    from forum.models import Post, Thread
    from groups.models import Group, Membership
    from groups.services import ensure_regional_groups

    ensure_regional_groups()
    group = db.session.scalars(select(Group).where(Group.kind == "regional")).first()
    members = [make_user() for _ in range(USERS)]
    for member in members:
        db.session.add(Membership(group_id=group.id, user_id=member.id, role="member"))
    thread_ids = []
    for n in range(5):
        thread = Thread(group_id=group.id, author_id=members[n].id, title=f"Casus {n}: zorgen op school",
                        kind="question")  # fmt: skip
        db.session.add(thread)
        db.session.flush()
        post = Post(thread_id=thread.id, author_id=members[n].id, depth=0,
                    body_source="Wat doen jullie?", body_html=str(render_markdown("Wat doen jullie?")))  # fmt: skip
        db.session.add(post)
        db.session.flush()
        thread.first_post_id = post.id
        thread_ids.append(thread.id)
    event = Event(group_id=group.id, title="Netwerkbijeenkomst", starts_at=utcnow() + timedelta(days=7),
                  ends_at=utcnow() + timedelta(days=7, hours=2), capacity=10)  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return {"members": [m.email for m in members], "password": TEST_PASSWORD,
            "group_slug": group.slug, "thread_ids": thread_ids, "event_id": event.id}  # fmt: skip


def wait_until_serving(url: str) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def test_mixed_load_holds(pg_app, make_user, smtp_server, start_worker, tmp_path):
    from events.models import Event, Registration
    from forum.models import Post

    plan = seed(make_user)
    plan_path, results_path = tmp_path / "plan.json", tmp_path / "results.json"
    plan_path.write_text(json.dumps(plan))
    start_worker(pg_app)

    port = free_port()
    env = dict(os.environ, DATABASE_URL=pg_app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=pg_app.config["REDIS_URL"], SMTP_URL=smtp_server.url,
               SECRET_KEY=pg_app.config["SECRET_KEY"], BASE_URL=f"http://127.0.0.1:{port}",
               RATELIMIT_ENABLED="0")  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "3", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], env=env,
    )  # fmt: skip
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz")
        load = subprocess.run(
            [sys.executable, "-m", "locust", "-f", "tests/reliability/locustfile.py", "--headless",
             "-u", str(USERS), "-r", "25", "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(tmp_path / "load"), "--only-summary", "--stop-timeout", "10"],
            env=dict(env, LOAD_PLAN=str(plan_path), LOAD_RESULTS=str(results_path)),
            capture_output=True, text=True, timeout=SECONDS + 120,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(30)

    with (tmp_path / "load_stats.csv").open() as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    assert int(total["Request Count"]) > USERS * 10, load.stderr[-3000:]
    assert int(total["Failure Count"]) == 0, (tmp_path / "load_failures.csv").read_text()

    sent = json.loads(results_path.read_text())["sent"]
    db.session.expire_all()
    stored = db.session.scalar(select(func.count(Post.id)).where(Post.body_source.like("%load-%")))
    assert sent, "no replies were posted"
    assert stored == len(sent) == len(set(sent))

    event = db.session.get(Event, plan["event_id"])
    confirmed = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.status == "confirmed"
        )
    )
    assert confirmed == event.confirmed_count <= event.capacity
    duplicates = db.session.execute(
        select(Registration.user_id)
        .where(Registration.event_id == event.id, Registration.status != "cancelled")
        .group_by(Registration.user_id)
        .having(func.count() > 1)
    ).all()
    assert duplicates == []
