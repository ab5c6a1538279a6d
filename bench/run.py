"""`make bench`: the app under gunicorn on PostgreSQL with a large community, driven by
wrk from a separate process, compared with a no-database ceiling measured in the same run.

Prints one table (requests/s, p50, p99, SQL queries per request, ratio to the ceiling)
and writes it to bench/results/<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import ROOT, Browser, Gunicorn, private_database, run_wrk
from bench.seed import BENCH_EMAIL, BENCH_PASSWORD

RESULTS = ROOT / "bench" / "results"
TARGET_READ_P99_MS = 100.0
TARGET_POST_P99_MS = 150.0
TARGET_THREAD_RATIO = 0.25
TARGET_READ_RATIO = 0.20

POST_SCRIPT = """
wrk.method = "POST"
wrk.body = "csrf_token={token}&body=Goede+ervaring+met+een+gesprek+samen+met+het+wijkteam."
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True)  # fmt: skip


#: The Redis database the benchmark's app hands its email tasks to (nothing else uses it).
BENCH_BROKER_DB = 13


def redis_broker() -> str | None:
    """A Redis broker URL when Redis answers on 127.0.0.1:6379, else None."""
    import redis

    url = f"redis://127.0.0.1:6379/{BENCH_BROKER_DB}"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


def forget_queued_tasks(url: str) -> None:
    """Drop the email tasks the run queued (no worker runs; their database is gone)."""
    import redis

    client = redis.Redis.from_url(url)
    client.delete("celery", *client.scan_iter("_kombu.binding.*"))


def pick_ids(database_url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        event_id = conn.scalar(text(
            "SELECT e.id FROM events e JOIN groups g ON g.id = e.group_id "
            "WHERE g.visibility = 'members' AND e.starts_at > now() ORDER BY e.id LIMIT 1"))  # fmt: skip
        pages = conn.scalar(text(
            "SELECT count(*) FROM posts WHERE thread_id = 1 AND depth = 1"))  # fmt: skip
        region = conn.scalar(text(
            "SELECT r.key FROM users u JOIN regions r ON r.id = u.region_id WHERE u.id = 1"))  # fmt: skip
        post_thread = conn.scalar(text(
            "SELECT t.id FROM threads t JOIN groups g ON g.id = t.group_id "
            "WHERE g.visibility = 'members' AND t.id > 1 ORDER BY t.id LIMIT 1"))  # fmt: skip
    engine.dispose()
    return {"event_id": event_id, "last_page": max(1, -(-pages // 20)), "post_thread": post_thread,
            "region": region}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=6, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    with private_database() as database_url:
        env = dict(os.environ, DATABASE_URL=database_url,
                   SECRET_KEY="bench-secret-key-that-is-long-enough-0000",
                   QUERY_COUNT_HEADER="1", RATELIMIT_ENABLED="0",
                   POST_MIN_INTERVAL_SECONDS="0", NEW_MEMBER_POST_MIN_INTERVAL_SECONDS="0")  # fmt: skip
        env.pop("REDIS_URL", None)
        env.pop("SMTP_URL", None)
        env["BASE_URL"] = "http://127.0.0.1"
        # As in production, a reply's email is handed to the Celery broker after the
        # commit, not delivered inside the request (which the embedded default does).
        broker = redis_broker()
        if broker:
            env["CELERY_BROKER_URL"] = broker
        started = time.monotonic()
        flask(env, "db", "upgrade")
        flask(env, "seed", "bench", "--scale", str(args.scale))
        seed_seconds = time.monotonic() - started
        ids = pick_ids(database_url.replace("+psycopg", "+psycopg"))

        try:
            with tempfile.TemporaryDirectory() as tmp:
                env["OUTBOX_DIR"] = tmp
                rows, ceilings, memory = _measure(env, ids, args, Path(tmp))
        finally:
            if broker:
                forget_queued_tasks(broker)

    bare = ceilings[0]
    for row in [*ceilings, *rows]:
        row["ratio_to_ceiling"] = round(row["rps"] / bare["rps"], 3)
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "scale": args.scale,
        "seed_seconds": round(seed_seconds, 1),
        "connections": args.connections,
        "workers": args.workers,
        "rounds": args.rounds,
        "ceiling": bare,
        "ceilings": ceilings,
        "pages": rows,
        "worker_rss_mb": [round(m, 1) for m in memory],
        "email_handoff": "Celery broker (Redis)" if broker else "in the request (no broker)",
    }
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{report['date']}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")


def _pages(ids: dict) -> list[tuple[str, str]]:
    region = ids["region"]
    return [
        ("dashboard", "/"),
        ("group page", "/groups/bench-groep-1"),
        ("thread, first page (100 replies)", "/threads/1"),
        ("thread, last page", f"/threads/1?page={ids['last_page']}"),
        ("event page", f"/events/{ids['event_id']}"),
        ("events list", "/events"),
        ("search", "/search?q=jongeren+school+wijkteam"),
        ("kennisbank list", "/kennisbank"),
        ("kennisbank, filtered", "/kennisbank?kind=interventie&theme=polarisatie"),
        ("advice: my questions", "/advies"),
        ("insight region page (3 months)", f"/inzicht/{region}"),
        ("insight region page (2 years)", f"/inzicht/{region}?periode=24m"),
        ("insight national overview", "/inzicht"),
    ]


def _measure(env: dict, ids: dict, args, tmp: Path) -> tuple[list[dict], list[dict], list[float]]:
    """Alternating rounds: in each, both ceilings and then every page, one wrk run each;
    a row reports the median round (by requests/s) of its runs."""
    servers = [Gunicorn(app, env, workers=args.workers)
               for app in ("bench.bare:app", "bench.ceiling:app", "wsgi:app")]  # fmt: skip
    for server in servers:
        server.start()
    bare, template, site = servers
    try:
        browser = Browser(site.url)
        browser.login(BENCH_EMAIL, BENCH_PASSWORD)
        cookie = browser.cookie_header()
        queries = {path: int(browser.get(path)[1].get("X-Query-Count", -1))
                   for _, path in _pages(ids)}  # fmt: skip
        token = browser.csrf_token(f"/threads/{ids['post_thread']}")
        script = tmp / "post.lua"
        script.write_text(POST_SCRIPT.format(token=token))
        runs: dict[tuple[str, str], list[dict]] = {}

        def wrk(name: str, url: str, path: str, **options) -> None:
            result = run_wrk(url, options.pop("cookie", ""), seconds=args.seconds,
                             connections=args.connections, **options)  # fmt: skip
            runs.setdefault((name, path), []).append(result)

        # Warm-up, not counted: every worker booted, templates compiled, caches filled.
        for url in (bare.url + "/bare", template.url + "/ceiling",
                    *(site.url + path for _, path in _pages(ids))):  # fmt: skip
            run_wrk(url, cookie, seconds=2, connections=args.connections)
        for _ in range(args.rounds):
            wrk("bare Flask ceiling (no extensions, no DB)", bare.url + "/bare", "/bare")
            wrk("thread template ceiling (no DB)", template.url + "/ceiling", "/ceiling")
            for name, path in _pages(ids):
                wrk(name, site.url + path, path, cookie=cookie)
            wrk("post a reply", site.url + f"/threads/{ids['post_thread']}/reply",
                "POST /threads/<id>/reply", cookie=cookie, script=str(script))  # fmt: skip
        memory = site.worker_rss_mb()
    finally:
        for server in servers:
            server.stop()
    rows = []
    for (name, path), results in runs.items():
        median = sorted(results, key=lambda r: r["rps"])[len(results) // 2]
        rows.append(dict(median, name=name, path=path, queries=queries.get(path, -1),
                         rps_runs=[r["rps"] for r in results]))  # fmt: skip
    return rows[2:], rows[:2], memory


def verdict(row: dict) -> str:
    """Issue 17's targets: thread pages >= 25 % of the bare ceiling, other read pages >= 20 %,
    reads p99 < 100 ms, posting p99 < 150 ms."""
    if row["path"] in ("/bare", "/ceiling"):
        return ""
    if row["path"].startswith("POST"):
        return "ok" if row["p99_ms"] < TARGET_POST_P99_MS else "miss"
    ratio = TARGET_THREAD_RATIO if row["path"].startswith("/threads/") else TARGET_READ_RATIO
    return (
        "ok" if row["ratio_to_ceiling"] >= ratio and row["p99_ms"] < TARGET_READ_P99_MS else "miss"
    )


def print_table(report: dict) -> None:
    print(f"\nscale {report['scale']} (seeded in {report['seed_seconds']} s), "
          f"{report['workers']} gunicorn workers, {report['connections']} connections, "
          f"median of {report['rounds']} alternating rounds; ratio = req/s ÷ bare ceiling; "
          f"email hand-off: {report['email_handoff']}")  # fmt: skip
    header = f"{'page':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'SQL':>5} {'ratio':>6} {'non-2xx':>8} {'target':>6}"
    print(header)
    print("-" * len(header))
    for row in [*report["ceilings"], *report["pages"]]:
        queries = "-" if row["queries"] < 0 else row["queries"]
        print(f"{row['name']:42} {row['rps']:8.1f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
              f"{queries:>5} {row['ratio_to_ceiling']:6.2f} {row['non_2xx']:8} {verdict(row):>6}")  # fmt: skip
    memory = report["worker_rss_mb"]
    print(f"gunicorn worker memory after the run: {', '.join(f'{m:.0f} MB' for m in memory)}")


if __name__ == "__main__":
    main()
