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

POST_SCRIPT = """
wrk.method = "POST"
wrk.body = "csrf_token={token}&body=Goede+ervaring+met+een+gesprek+samen+met+het+wijkteam."
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True)  # fmt: skip


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
    parser.add_argument("--seconds", type=int, default=10)
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
        started = time.monotonic()
        flask(env, "db", "upgrade")
        flask(env, "seed", "bench", "--scale", str(args.scale))
        seed_seconds = time.monotonic() - started
        ids = pick_ids(database_url.replace("+psycopg", "+psycopg"))

        with tempfile.TemporaryDirectory() as tmp:
            env["OUTBOX_DIR"] = tmp
            ceiling = Gunicorn("bench.ceiling:app", env, workers=args.workers)
            ceiling.start()
            try:
                ceiling_result = run_wrk(ceiling.url + "/ceiling", "", seconds=args.seconds,
                                         connections=args.connections)  # fmt: skip
            finally:
                ceiling.stop()

            server = Gunicorn("wsgi:app", env, workers=args.workers)
            server.start()
            rows = []
            try:
                browser = Browser(server.url)
                browser.login(BENCH_EMAIL, BENCH_PASSWORD)
                cookie = browser.cookie_header()
                pages = [
                    ("dashboard", "/"),
                    ("group page", "/groups/bench-groep-1"),
                    ("thread, first page (100 replies)", "/threads/1"),
                    ("thread, last page", f"/threads/1?page={ids['last_page']}"),
                    ("event page", f"/events/{ids['event_id']}"),
                    ("events list", "/events"),
                    ("search", "/search?q=jongeren+school+wijkteam"),
                    ("kennisbank list", "/kennisbank"),
                    ("kennisbank, filtered", "/kennisbank?kind=interventie&theme=polarisatie"),
                    ("insight region page (3 months)", f"/inzicht/{ids['region']}"),
                    ("insight region page (2 years)", f"/inzicht/{ids['region']}?periode=24m"),
                    ("insight national overview", "/inzicht"),
                ]
                for name, path in pages:
                    _, headers = browser.get(path)
                    result = run_wrk(server.url + path, cookie, seconds=args.seconds,
                                     connections=args.connections)  # fmt: skip
                    result.update(
                        name=name, path=path, queries=int(headers.get("X-Query-Count", -1))
                    )
                    rows.append(result)
                token = browser.csrf_token(f"/threads/{ids['post_thread']}")
                script = Path(tmp) / "post.lua"
                script.write_text(POST_SCRIPT.format(token=token))
                result = run_wrk(server.url + f"/threads/{ids['post_thread']}/reply", cookie,
                                 seconds=args.seconds, connections=args.connections,
                                 script=str(script))  # fmt: skip
                result.update(name="post a reply", path="POST /threads/<id>/reply", queries=-1)
                rows.append(result)
                memory = server.worker_rss_mb()
            finally:
                server.stop()

    for row in rows:
        row["ratio_to_ceiling"] = round(row["rps"] / ceiling_result["rps"], 3)
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "scale": args.scale,
        "seed_seconds": round(seed_seconds, 1),
        "connections": args.connections,
        "workers": args.workers,
        "ceiling": ceiling_result,
        "pages": rows,
        "worker_rss_mb": [round(m, 1) for m in memory],
    }
    print_table(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{report['date']}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")


def print_table(report: dict) -> None:
    ceiling = report["ceiling"]
    print(f"\nscale {report['scale']} (seeded in {report['seed_seconds']} s), "
          f"{report['workers']} gunicorn workers, {report['connections']} connections")  # fmt: skip
    header = f"{'page':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'SQL':>5} {'ratio':>6} {'non-2xx':>8}"
    print(header)
    print("-" * len(header))
    print(f"{'ceiling (template, no DB)':36} {ceiling['rps']:8.1f} {ceiling['p50_ms']:8.1f} "
          f"{ceiling['p99_ms']:8.1f} {'-':>5} {1:6.2f} {ceiling['non_2xx']:8}")  # fmt: skip
    for row in report["pages"]:
        queries = "-" if row["queries"] < 0 else row["queries"]
        print(f"{row['name']:36} {row['rps']:8.1f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
              f"{queries:>5} {row['ratio_to_ceiling']:6.2f} {row['non_2xx']:8}")  # fmt: skip
    memory = report["worker_rss_mb"]
    print(f"gunicorn worker memory after the run: {', '.join(f'{m:.0f} MB' for m in memory)}")


if __name__ == "__main__":
    main()
