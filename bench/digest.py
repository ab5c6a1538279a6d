"""Benchmark: compose and deliver digests for many members to a local SMTP sink.

    python -m bench.digest [--members 10000] [--postgres]

Builds a private database (an SQLite file in a temporary directory, or with --postgres a
fresh database on 127.0.0.1 that is dropped afterwards), fills it with realistic content,
then starts worker processes (default 2, one per core) that each run the Celery digest
task's body (`tasks.notifications.send_digests`, 100 members a task) for their share of
the members and deliver the emails each commit dispatches over one SMTP connection
(`tasks.mail.deliver_emails`' body, `core.mail.deliver_outbox_batch`) to an aiosmtpd
sink in its own process. Prints members per second and memory (max RSS at checkpoints, so one can see it
stays flat as the number of members grows).
"""

from __future__ import annotations

import argparse
import random
import resource
import socket
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

WEEK = "weekly:bench"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Sink:
    """An aiosmtpd handler that counts messages (and keeps none)."""

    def __init__(self, counter) -> None:
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 OK"


def serve_sink(port: int, counter, ready, stop, cpu) -> None:
    """The SMTP sink, in its own process as a real MTA would be; reports its CPU time."""
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(counter), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu.value = usage.ru_utime + usage.ru_stime


def build_app(url: str, instance: Path):
    from composition import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-long-enough-0000000000",
            "INSTANCE_PATH": str(instance),
            "OUTBOX_DIR": str(instance / "outbox"),
            "REDIS_URL": None,
            "SMTP_URL": None,
            "BASE_URL": "https://jep.example",
        }
    )


def populate(members: int, now: datetime) -> None:
    """Groups per region, members with sectors, threads, replies, questions, events."""
    from sqlalchemy import bindparam, insert, select, text

    from auth.models import User
    from core.extensions import db
    from core.taxonomy import Function, Region, Sector, load_taxonomy
    from events.models import Event
    from forum.models import Post, Thread
    from groups.models import Group, Membership

    load_taxonomy()
    rnd = random.Random(42)
    regions = list(db.session.scalars(select(Region.id)))
    sectors = list(db.session.scalars(select(Sector.id)))
    function = db.session.scalar(select(Function.id))
    groups = [
        {"slug": f"regio-{r}", "name": f"Regio {r}", "kind": "regional", "visibility": "members",
         "region_id": r}
        for r in regions
    ] + [
        {"slug": f"thema-{i}", "name": f"Thema {i}", "kind": "thematic",
         "visibility": ("members", "closed", "secret")[i % 3], "region_id": None}
        for i in range(15)
    ]  # fmt: skip
    db.session.execute(insert(Group), groups)
    group_ids = list(db.session.scalars(select(Group.id).order_by(Group.id)))
    regional = dict(zip(regions, group_ids[: len(regions)], strict=True))
    thematic = group_ids[len(regions) :]
    users, memberships = [], []
    for n in range(1, members + 1):
        region = rnd.choice(regions)
        users.append({
            "id": n, "email": f"lid{n}@bench.example", "display_name": f"Lid {n}",
            "status": "active", "sector_id": rnd.choice(sectors), "function_id": function,
            "region_id": region, "digest_opt_in": True, "language": "nl" if n % 10 else "en",
            "timezone": "Europe/Amsterdam", "calendar_token": uuid.uuid4().hex,
        })  # fmt: skip
        memberships.append({"group_id": regional[region], "user_id": n, "status": "active"})
        for group_id in rnd.sample(thematic, 2):
            memberships.append({"group_id": group_id, "user_id": n, "status": "active"})
    db.session.execute(insert(User), users)
    db.session.execute(insert(Membership), memberships)
    # Threads: ~0.3 per member, a third of them new this week; replies from mixed sectors.
    threads, posts = [], []
    post_id = 0
    for t in range(1, members * 3 // 10 + 1):
        created = now - timedelta(hours=rnd.randint(1, 24 * 21))
        group_id = rnd.choice(group_ids)
        author = rnd.randint(1, members)
        post_id += 1
        threads.append({
            "id": t, "group_id": group_id, "author_id": author, "title": f"Gesprek {t}",
            "kind": "question" if t % 4 == 0 else "discussion", "created_at": created,
            "last_activity_at": created, "first_post_id": post_id, "reply_count": 0,
        })  # fmt: skip
        posts.append({"id": post_id, "thread_id": t, "author_id": author, "depth": 0,
                      "body_source": "Tekst " * 40, "body_html": "<p>" + "Tekst " * 40 + "</p>",
                      "created_at": created})  # fmt: skip
        for _ in range(rnd.randint(0, 6)):
            post_id += 1
            when = created + timedelta(hours=rnd.randint(1, 72))
            posts.append({"id": post_id, "thread_id": t, "author_id": rnd.randint(1, members),
                          "depth": 1, "body_source": "Reactie", "body_html": "<p>Reactie</p>",
                          "created_at": min(when, now - timedelta(minutes=1))})  # fmt: skip
            threads[-1]["reply_count"] += 1
            threads[-1]["last_activity_at"] = min(when, now - timedelta(minutes=1))
    # threads.first_post_id references posts, which reference threads: insert the
    # threads without it, then the posts, then link them.
    first_posts = [{"tid": t["id"], "first": t.pop("first_post_id")} for t in threads]
    db.session.execute(insert(Thread), threads)
    db.session.execute(insert(Post), posts)
    db.session.execute(
        Thread.__table__.update()
        .where(Thread.__table__.c.id == bindparam("tid"))
        .values(first_post_id=bindparam("first")),
        first_posts,
    )
    events = [
        {"group_id": rnd.choice(group_ids), "title": f"Bijeenkomst {i}",
         "starts_at": now + timedelta(days=rnd.randint(1, 40)),
         "ends_at": now + timedelta(days=41), "capacity": 20, "confirmed_count": rnd.randint(0, 20),
         "status": "scheduled"}
        for i in range(members // 100 + 5)
    ]  # fmt: skip
    db.session.execute(insert(Event), events)
    db.session.commit()
    # Planner statistics, as autovacuum would gather them after a load this size.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"content: {len(users)} members, {len(threads)} threads, {len(posts)} posts, "
          f"{len(events)} events")  # fmt: skip


def worker(
    url: str, instance: Path, port: int, user_ids: list[int], now_iso: str, run_id: str, out
) -> None:
    """One worker process, as Celery would run it: the digest task's body
    (`tasks.notifications.send_digests`, 100 members a task) and, as each task's commit
    dispatches its emails, their delivery over one SMTP connection (what
    `tasks.mail.deliver_emails` runs: `core.mail.deliver_outbox_batch`)."""
    import core.mail
    from core.extensions import db
    from core.mail_transport import SMTPBackend
    from notifications.delivery import DIGESTS_PER_TASK
    from tasks.notifications import send_digests

    app = build_app(url, instance)
    dispatched: list[int] = []
    core.mail.dispatch = dispatched.extend  # what a commit hands over for delivery
    backend = SMTPBackend(f"smtp://127.0.0.1:{port}")
    statuses: dict[str, int] = {}
    outcome: dict[str, int] = {}
    rss = []
    timings = {"compose": 0.0, "deliver": 0.0}

    def deliver() -> None:
        began = time.perf_counter()
        for status, n in core.mail.deliver_outbox_batch(list(dispatched), backend).items():
            outcome[status] = outcome.get(status, 0) + n
        dispatched.clear()
        timings["deliver"] += time.perf_counter() - began

    with app.app_context():
        for start in range(0, len(user_ids), DIGESTS_PER_TASK):
            began = time.perf_counter()
            batch = user_ids[start : start + DIGESTS_PER_TASK]
            for status, n in send_digests.run(batch, WEEK, now_iso, run_id).items():
                statuses[status] = statuses.get(status, 0) + n
            db.session.remove()  # as a worker does between tasks
            timings["compose"] += time.perf_counter() - began
            deliver()
            done = start + len(batch)
            if done in {1000, len(user_ids) // 2, len(user_ids)} or not rss:
                rss.append((done, round(rss_mb())))
    out.put((statuses, outcome, timings, rss))


def run(members: int, url: str, instance: Path, processes: int) -> None:
    import multiprocessing

    from sqlalchemy import select

    from core.extensions import db
    from core.models import OutboxMessage

    context = multiprocessing.get_context("spawn")  # no inherited connections
    app = build_app(url, instance)
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        populate(members, now)
        db.session.remove()
        db.engine.dispose()
        print(f"setup: {time.perf_counter() - started:.1f} s")
    counter, ready, stop = context.Value("i", 0), context.Event(), context.Event()
    sink_cpu = context.Value("d", 0.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = context.Process(target=serve_sink, args=(port, counter, ready, stop, sink_cpu))
    sink.start()
    ready.wait(10)
    out = context.Queue()
    user_ids = list(range(1, members + 1))
    run_id = uuid.uuid4().hex  # as enqueue_due_digests gives every task of a run
    processes_ = [
        context.Process(target=worker,
                        args=(url, instance, port, user_ids[i::processes], now.isoformat(),
                              run_id, out))
        for i in range(processes)
    ]  # fmt: skip
    began = time.perf_counter()
    for process in processes_:
        process.start()
    results = [out.get() for _ in processes_]
    total = time.perf_counter() - began
    for process in processes_:
        process.join()
    statuses: dict[str, int] = {}
    outcome: dict[str, int] = {}
    composed = delivered_time = 0.0
    for counts, delivery, timings, rss in results:
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
        for status, n in delivery.items():
            outcome[status] = outcome.get(status, 0) + n
        composed += timings["compose"]
        delivered_time += timings["deliver"]
        print(f"  worker max RSS (MB) after n members: {rss}")
    stop.set()
    sink.join(10)
    with app.app_context():
        stored = db.session.scalar(select(db.func.count(OutboxMessage.id)))
        db.engine.dispose()
    delivered = outcome.get("sent", 0)
    print(f"digests: {statuses}; outbox rows {stored}; delivery {outcome}; "
          f"sink received {counter.value}")  # fmt: skip
    print(f"compose: {composed:.1f} s of worker time ({composed / members * 1000:.1f} ms/member)")
    print(f"deliver: {delivered_time:.1f} s of worker time "
          f"({delivered_time / max(delivered, 1) * 1000:.1f} ms/email)")  # fmt: skip
    print(f"total:   {total:.1f} s for {members} members with {processes} worker processes "
          f"= {members / total:.0f} members/s")  # fmt: skip
    print(f"sink:    {sink_cpu.value:.1f} s of CPU in the aiosmtpd process (same two cores)")
    print(f"memory:  worker max RSS stays at {max(r[-1][1] for *_, r in results)} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true", help="use a private PostgreSQL db")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (cores)")
    args = parser.parse_args()
    # tmpfs when there is one: the benchmark measures our code, not the disk's fsync.
    shm = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 - private mkdtemp inside
    with tempfile.TemporaryDirectory(prefix="bench-digest-", dir=shm) as tmp:
        instance = Path(tmp)
        if not args.postgres:
            run(args.members, f"sqlite:///{instance / 'bench.sqlite3'}", instance, args.processes)
            return
        from sqlalchemy import create_engine, text

        admin_url = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
        name = f"bench_digest_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(args.members, admin_url.rsplit("/", 1)[0] + f"/{name}", instance, args.processes)
        finally:
            from core.extensions import db  # noqa: F401 - engines are disposed with the app

            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
