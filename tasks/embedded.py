"""`make run`: the web server, a Celery worker and Celery beat as one foreground command.

    python -m tasks.embedded [--host 127.0.0.1] [--port 5000]

Without `REDIS_URL` the three processes share a broker that needs no server: kombu's
SQLAlchemy transport on `instance/celery-broker.sqlite3`. The web process hands the
outbox to it after each commit, the worker delivers, and beat starts the digests,
reminders, the outbox sweep and the retention purge on their schedule. One gunicorn
worker with threads serves the pages, so the in-memory login limits are exact.

With `REDIS_URL` set nothing changes: only the web server runs (two workers, rate
limits and tasks in Redis); start `make worker` and `make beat` next to it.

Unless `BASE_URL` is set (environment or `.env`), links in email and calendars use the
address served: `http://HOST:PORT`. One Ctrl-C (or SIGTERM) stops everything: each
process gets SIGTERM (a graceful stop), and whatever still runs after the grace period
is killed. When one process dies the others are stopped too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from core import ROOT, instance_path

BROKER_FILE = "celery-broker.sqlite3"
SCHEDULE_FILE = "celerybeat-schedule"
GRACE_SECONDS = 20.0
HOUSEKEEPING_SECONDS = 600.0
TAKEN_KEPT = timedelta(hours=1)
# Gunicorn's maximum; long search URLs reach the app, which answers with a friendly page.
REQUEST_LINE_LIMIT = 8190
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}  # noqa: S104 - names, not a bind


def served_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in WILDCARD_HOSTS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def embedded_environment(host: str, port: int, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of every process: BASE_URL follows the address served unless
    it is set, and without Redis the broker is the SQLite file in the instance folder."""
    env = dict(environ)
    if not env.get("BASE_URL"):
        env["BASE_URL"] = served_url(host, port)
    if not env.get("REDIS_URL") and not env.get("CELERY_BROKER_URL"):
        instance = instance_path()
        env["CELERY_BROKER_URL"] = f"sqla+sqlite:///{instance / BROKER_FILE}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def commands(host: str, port: int, env: Mapping[str, str]) -> dict[str, list[str]]:
    python = sys.executable
    web = [python, "-m", "gunicorn", "--bind", f"{host}:{port}",
           "--limit-request-line", str(REQUEST_LINE_LIMIT), "--graceful-timeout", "10",
           "--access-logfile", "-"]  # fmt: skip
    if env.get("REDIS_URL"):
        return {"web": [*web, "--workers", "2", "--threads", "4", "wsgi:app"]}
    # One process with threads: the in-memory rate limits see every request.
    web += ["--workers", "1", "--threads", "8", "wsgi:app"]
    schedule = instance_path() / SCHEDULE_FILE
    celery = [python, "-m", "celery", "-A", "wsgi:celery"]
    worker = [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", "--hostname",
              "embedded@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
    return {
        "web": web,
        "worker": worker,
        "beat": [*celery, "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
    }


def prepare_broker(url: str) -> None:
    """Create the broker's tables once, before three processes race to create them."""
    import kombu

    with kombu.Connection(url) as connection, connection.SimpleQueue("celery"):
        pass


def purge_taken_messages(url: str, now: datetime | None = None) -> int:
    """Delete the messages a worker took more than TAKEN_KEPT ago. kombu's SQLAlchemy
    transport only marks a taken message invisible (its `timestamp` is when it was
    taken, local time), so without this the broker file grows for ever."""
    cutoff = (now or datetime.now()) - TAKEN_KEPT  # noqa: DTZ005 - kombu stores local time
    path = url.split("sqlite:///", 1)[1]
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn, conn:
        deleted = conn.execute(
            "DELETE FROM kombu_message WHERE visible = 0 AND timestamp < ?",
            (cutoff.isoformat(sep=" "),),
        )
        return deleted.rowcount


class Supervisor:
    """Start processes, stop them all on a signal or when one of them ends."""

    def __init__(
        self,
        programs: dict[str, list[str]],
        env: Mapping[str, str],
        housekeeping: Callable[[], object] | None = None,
    ) -> None:
        self.programs = programs
        self.env = dict(env)
        self.housekeeping = housekeeping
        self.processes: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def _stop_signal(self, signum, _frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._stop_signal)
        signal.signal(signal.SIGTERM, self._stop_signal)
        for name, argv in self.programs.items():
            # A session of its own: Ctrl-C reaches only this supervisor, which stops
            # the processes in order (and their children: gunicorn's and celery's).
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our own argv
                argv, cwd=ROOT, env=self.env, start_new_session=True
            )
        code = 0
        next_housekeeping = time.monotonic()
        while not self.stopping:
            if self.housekeeping and time.monotonic() >= next_housekeeping:
                self.housekeeping()
                next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
            ended = {n: p.returncode for n, p in self.processes.items() if p.poll() is not None}
            if ended:
                name, code = next(iter(ended.items()))
                print(f"{name} stopped (exit code {code}); stopping the rest", flush=True)
                code = code or 1
                break
            time.sleep(0.3)
        self.stop()
        return code

    def _signal_all(self, signum: int) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signum)

    def stop(self) -> None:
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline:
            if all(process.poll() is not None for process in self.processes.values()):
                break
            time.sleep(0.2)
        self._signal_all(signal.SIGKILL)
        for process in self.processes.values():
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    from dotenv import load_dotenv

    load_dotenv(ROOT / ".env", override=False)  # a BASE_URL or REDIS_URL set there counts
    env = embedded_environment(args.host, args.port, os.environ)
    programs = commands(args.host, args.port, env)
    housekeeping = None
    if "worker" in programs:
        instance_path().mkdir(parents=True, exist_ok=True)
        broker = env["CELERY_BROKER_URL"]
        if broker.startswith("sqla+sqlite:///"):
            prepare_broker(broker)
            housekeeping = lambda: purge_taken_messages(broker)  # noqa: E731
        print("Running: web (gunicorn), Celery worker and beat; broker "
              f"{env['CELERY_BROKER_URL']}", flush=True)  # fmt: skip
    else:
        print("REDIS_URL is set: serving the web only; run `make worker` and `make beat` "
              "next to it.", flush=True)  # fmt: skip
    print(f"Serving on {served_url(args.host, args.port)}; links in email use "
          f"{env['BASE_URL']} (Ctrl+C stops everything)", flush=True)  # fmt: skip
    return Supervisor(programs, env, housekeeping).run()


if __name__ == "__main__":
    sys.exit(main())
