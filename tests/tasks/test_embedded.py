"""`make run` (`python -m tasks.embedded`): web, worker and beat on the SQLite broker,
links that follow the port served, one signal stopping everything."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tasks.embedded import (
    commands,
    embedded_environment,
    prepare_broker,
    purge_taken_messages,
    served_url,
)
from tests.fixtures.live import ROOT, free_port

PASSWORD = "een-lang-wachtwoord-voor-de-test"


def test_links_follow_the_host_and_port_served_unless_base_url_is_set():
    env = embedded_environment("127.0.0.1", 5077, {})
    assert env["BASE_URL"] == "http://127.0.0.1:5077"
    everywhere = embedded_environment("0.0.0.0", 8080, {})  # noqa: S104
    assert everywhere["BASE_URL"] == "http://127.0.0.1:8080"
    assert served_url("::1", 5077) == "http://[::1]:5077"
    chosen = embedded_environment("127.0.0.1", 5077, {"BASE_URL": "https://jep.example.nl"})
    assert chosen["BASE_URL"] == "https://jep.example.nl"


def test_without_redis_web_worker_and_beat_share_the_sqlite_broker(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    env = embedded_environment("127.0.0.1", 5000, {})
    assert env["CELERY_BROKER_URL"] == f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"
    programs = commands("127.0.0.1", 5000, env)
    assert set(programs) == {"web", "worker", "beat"}
    web = programs["web"]
    # One web process with threads: the in-memory login limits count every request.
    assert web[web.index("--workers") + 1] == "1"
    assert web[web.index("--limit-request-line") + 1] == "8190"
    assert str(tmp_path / "celerybeat-schedule") in programs["beat"]


def test_with_redis_nothing_changes():
    env = embedded_environment("127.0.0.1", 5000, {"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert "CELERY_BROKER_URL" not in env
    assert set(commands("127.0.0.1", 5000, env)) == {"web"}


def test_messages_the_worker_took_are_deleted_after_an_hour_waiting_ones_stay(tmp_path):
    import kombu

    url = f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite3'}"
    prepare_broker(url)
    with kombu.Connection(url) as connection, connection.SimpleQueue("celery") as queue:
        queue.put({"task": "taken"})
        queue.put({"task": "waiting"})
        queue.get(timeout=5).ack()
        assert purge_taken_messages(url) == 0  # taken just now: kept for an hour
        assert purge_taken_messages(url, now=datetime.now() + timedelta(hours=2)) == 1  # noqa: DTZ005
        assert queue.get(timeout=5).payload == {"task": "waiting"}


def _flask(env, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)  # fmt: skip


def _wait(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen:\n{log.read_text()[-4000:]}")


def _get(url: str):
    import requests

    try:
        return requests.get(url, timeout=10)
    except requests.RequestException:  # not listening yet, or still loading the app
        return None


@pytest.mark.services
def test_make_run_serves_on_the_chosen_port_delivers_through_the_worker_and_stops_on_ctrl_c(
    tmp_path,
):
    import requests

    env = {k: v for k, v in os.environ.items()
           if k not in {"REDIS_URL", "BASE_URL", "CELERY_BROKER_URL", "SMTP_URL"}}  # fmt: skip
    env.update(INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'jep.sqlite3'}",
               PYTHONUNBUFFERED="1")  # fmt: skip
    _flask(env, "db", "upgrade")
    _flask(env, "users", "create", "--email", "anna@example.org", "--name", "Anna de Vries",
           "--password", PASSWORD)  # fmt: skip
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        runner = subprocess.Popen(
            [sys.executable, "-m", "tasks.embedded", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(lambda: _get(base + "/healthz"), 90, "the web server", log)
            _wait(lambda: b"ready." in log.read_bytes(), 90, "the worker", log)
            _wait(lambda: b"beat: Starting" in log.read_bytes(), 90, "beat", log)
            # 6,000 bytes: gunicorn's default (4,094) would answer a bare 414.
            long_search = requests.get(
                base + "/search?q=" + "lang+" * 1200, timeout=10, allow_redirects=False
            )
            assert long_search.status_code == 302  # reaches the app (to log in first)
            browser = requests.Session()
            page = browser.get(base + "/auth/reset", timeout=10).text
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            answer = browser.post(base + "/auth/reset", timeout=10,
                                  data={"email": "anna@example.org", "csrf_token": token})  # fmt: skip
            assert answer.status_code == 200
            outbox = tmp_path / "outbox"
            [path] = _wait(lambda: list(outbox.glob("*.eml")), 60, "the reset email", log)
            email = message_from_bytes(path.read_bytes(), policy=policy.default)
            text = email.get_body(("plain",)).get_content()
            assert f"{base}/auth/reset/" in text  # the port served, not 5000
            assert b"tasks.mail.deliver_email" in log.read_bytes()  # the worker sent it
        finally:
            runner.send_signal(signal.SIGINT)  # Ctrl-C
            code = runner.wait(60)
    assert code == 0
    assert _get(f"http://127.0.0.1:{port}/healthz") is None
    left = subprocess.run(["pgrep", "-f", f"--schedule {tmp_path}"], capture_output=True)
    assert left.stdout == b""  # beat is gone too
