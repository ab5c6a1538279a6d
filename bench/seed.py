"""`flask seed bench --scale N`: a large, realistic community for `make bench`.

At scale 1.0: 10,000 members across all regions and sectors, 50 groups, 20,000 threads
(with themes; three in five questions answered), 400,000 posts (nested replies),
reactions, 2,000 events with registrations and attendance, 2,000 signals, and the
insight rollups. Rows go in through Core bulk inserts (no ORM, no per-row events) with ids assigned here, and the
search index is filled with one INSERT … SELECT per kind.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from html import escape

import click
from sqlalchemy import bindparam, func, insert, select, text

from auth.models import User
from auth.passwords import hash_password
from core.db import utcnow
from core.extensions import db
from core.taxonomy import EventType, Function, Region, Sector, Tag, load_taxonomy
from events.models import Event, Registration
from forum.models import Post, Reaction, Thread, thread_tags
from groups.models import Group, Membership
from insight.models import Signal
from insight.rollups import refresh_rollups
from knowledge.models import EVIDENCE_LEVELS, KINDS, KnowledgeItem, item_sectors, item_tags

BENCH_PASSWORD = "bench-wachtwoord-2026"
BENCH_EMAIL = "bench@bench.platformjep.nl"
HOT_THREAD_TITLE = "Drukste gesprek van de regio: hoe werken school, wijkteam en politie samen?"
BATCH = 5000

WORDS = (
    "jongere jongeren school docent mentor wijkagent wijkteam ouders zorgen signalen "
    "radicalisering polarisatie complotdenken online filmpjes groepsdruk vrienden moskee "
    "sportclub jongerenwerk jeugdhulp gesprek vertrouwen veiligheidshuis casusoverleg "
    "netwerk aanpak weerbaarheid identiteit discriminatie uitsluiting extreemrechts "
    "jihadisme tegensignalen hulpverlening gemeente beleid samenwerking training "
    "intervisie ervaring advies vraag antwoord praktijk begeleiding klas straat buurt"
).split()


def sentence(rng: random.Random, words: int = 14) -> str:
    chosen = " ".join(rng.choice(WORDS) for _ in range(words))
    return chosen[0].upper() + chosen[1:] + "."


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


def seed_bench(scale: float = 1.0, seed: int = 2026, echo=print) -> dict[str, int]:
    """Fill an empty database. Returns the row counts; commits in large steps."""
    rng = random.Random(seed)
    # The insight additions draw from their own generator, so the rest of the data set
    # (and the other pages' figures) stays what it was before they were added.
    extra = random.Random(seed + 1)
    started = time.monotonic()
    load_taxonomy()
    db.session.commit()
    sectors = [t.id for t in db.session.scalars(select(Sector))]
    functions = [t.id for t in db.session.scalars(select(Function))]
    regions = [t.id for t in db.session.scalars(select(Region))]
    event_types = [t.id for t in db.session.scalars(select(EventType))]
    tags = [t.id for t in db.session.scalars(select(Tag))]
    n_members, n_groups = max(50, int(10_000 * scale)), max(5, int(50 * scale) or 5)
    n_threads, n_posts = max(50, int(20_000 * scale)), max(1000, int(400_000 * scale))
    n_events = max(10, int(2_000 * scale))
    now = utcnow()
    password_hash = hash_password(BENCH_PASSWORD)

    users = [
        {"id": i, "email": BENCH_EMAIL if i == 1 else f"lid{i}@bench.platformjep.nl",
         "display_name": f"Lid {i}", "organisation": f"Organisatie {i % 300}",
         "password_hash": password_hash, "sector_id": sectors[i % len(sectors)],
         "function_id": functions[i % len(functions)], "region_id": regions[i % len(regions)],
         "status": "active", "role": "member", "email_confirmed_at": now, "approved_at": now,
         "terms_accepted_at": now, "calendar_token": f"bench-token-{i}",
         "created_at": now - timedelta(days=400)}
        for i in range(1, n_members + 1)
    ]  # fmt: skip
    _bulk(User, users)
    groups = [
        {"id": g, "slug": f"bench-groep-{g}", "name": f"Groep {g}", "kind": "regional" if g <= len(regions) else "thematic",
         "visibility": "members" if g % 5 else "closed", "region_id": regions[(g - 1) % len(regions)]}
        for g in range(1, n_groups + 1)
    ]  # fmt: skip
    _bulk(Group, groups)
    memberships, counts = [], dict.fromkeys(range(1, n_groups + 1), 0)
    for user_id in range(1, n_members + 1):
        for group_id in {1, *rng.sample(range(1, n_groups + 1), 3)}:
            memberships.append({"group_id": group_id, "user_id": user_id, "status": "active",
                                "role": "coordinator" if user_id <= n_groups and group_id == user_id else "member"})  # fmt: skip
            counts[group_id] += 1
    _bulk(Membership, memberships)
    db.session.commit()
    echo(f"  members, groups, memberships: {time.monotonic() - started:.1f}s")

    # Threads: thread 1 is the hot thread in group 1 with 100 top-level replies.
    threads, posts, post_id = [], [], 0
    replies_left = n_posts - n_threads
    per_thread = max(1, replies_left // n_threads)
    for thread_id in range(1, n_threads + 1):
        group_id = 1 if thread_id == 1 else rng.randint(1, n_groups)
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
        author = rng.randint(1, n_members)
        post_id += 1
        opening = post_id
        posts.append(_post(rng, post_id, thread_id, None, author, 0, created))
        replies = 100 if thread_id == 1 else rng.randint(0, per_thread * 2)
        last_id, last_at, top_level, first_reply = opening, created, [], None
        for r in range(replies):
            post_id += 1
            parent = (
                None
                if (thread_id == 1 or not top_level or rng.random() < 0.6)
                else rng.choice(top_level)
            )
            at = created + timedelta(minutes=5 * (r + 1))
            posts.append(_post(rng, post_id, thread_id, parent, rng.randint(1, n_members),
                               1 if parent is None else 2, at))  # fmt: skip
            if parent is None:
                top_level.append(post_id)
            first_reply = first_reply or post_id
            last_id, last_at = post_id, at
        threads.append({"id": thread_id, "group_id": group_id, "author_id": author,
                        "title": HOT_THREAD_TITLE if thread_id == 1 else sentence(rng, 8)[:140],
                        "kind": "question" if thread_id % 3 == 0 else "discussion",
                        "first_post_id": None, "reply_count": replies, "created_at": created,
                        "last_activity_at": last_at, "last_post_id": None,
                        "_first": opening, "_last": last_id,
                        "_accepted": first_reply if thread_id % 3 == 0 and extra.random() < 0.6 else None})  # fmt: skip
    _bulk(Thread, [{k: v for k, v in t.items() if not k.startswith("_")} for t in threads])
    _bulk(Post, posts)
    db.session.execute(
        Thread.__table__.update()
        .where(Thread.__table__.c.id == bindparam("tid"))
        .values(first_post_id=bindparam("first"), last_post_id=bindparam("last"),
                accepted_post_id=bindparam("accepted")),
        [{"tid": t["id"], "first": t["_first"], "last": t["_last"], "accepted": t["_accepted"]}
         for t in threads],
    )  # fmt: skip
    # Themes for the insight pages: one or two tags a thread.
    _bulk(thread_tags, [{"thread_id": t["id"], "tag_id": tag}
                        for t in threads for tag in extra.sample(tags, extra.randint(1, 2))])  # fmt: skip
    db.session.commit()
    echo(f"  {len(threads)} threads, {len(posts)} posts: {time.monotonic() - started:.1f}s")

    reactions = {(rng.randint(1, post_id), rng.randint(1, n_members), rng.choice(("useful", "thanks")))
                 for _ in range(post_id // 4)}  # fmt: skip
    _bulk(Reaction, [{"post_id": p, "user_id": u, "kind": k} for p, u, k in reactions])
    events, registrations = [], []
    for event_id in range(1, n_events + 1):
        starts = now + timedelta(days=rng.randint(-60, 90), hours=rng.randint(8, 18))
        capacity = rng.choice((None, 12, 20, 40))
        takers = rng.sample(range(1, n_members + 1), rng.randint(0, 30))
        confirmed = takers if capacity is None else takers[:capacity]
        events.append({"id": event_id, "group_id": rng.randint(1, n_groups),
                       "event_type_id": rng.choice(event_types), "title": sentence(rng, 6)[:140],
                       "description_source": sentence(rng), "description_html": f"<p>{sentence(rng)}</p>",
                       "starts_at": starts, "ends_at": starts + timedelta(hours=2),
                       "location": "Stadhuis, zaal 2", "capacity": capacity,
                       "confirmed_count": len(confirmed)})  # fmt: skip
        registrations += [{"event_id": event_id, "user_id": u,
                           "status": "confirmed" if u in confirmed else "waitlisted",
                           "attended": (u in confirmed and extra.random() < 0.8) if starts < now else None}
                          for u in takers]  # fmt: skip
    _bulk(Event, events)
    _bulk(Registration, registrations)
    for group_id, count in counts.items():
        db.session.execute(
            Group.__table__.update().where(Group.id == group_id).values(member_count=count)
        )
    n_items = _seed_knowledge(rng, max(20, int(500 * scale)), sectors, now)
    _reset_sequences()
    db.session.commit()
    echo(f"  reactions, events, registrations, kennisbank: {time.monotonic() - started:.1f}s")
    _index_for_search()
    db.session.commit()
    echo(f"  search index: {time.monotonic() - started:.1f}s")
    # Signals (one per member and thread) and the insight rollups, as the nightly task
    # would leave them.
    signals = {
        (extra.randint(1, n_threads), extra.randint(1, n_members)) for _ in range(n_threads // 10)
    }
    _bulk(Signal, [{"thread_id": t, "user_id": u, "region_id": regions[u % len(regions)],
                    "note": "Zien we ook in onze regio.", "created_at": now - timedelta(days=extra.randint(0, 365))}
                   for t, u in signals])  # fmt: skip
    refresh_rollups(now)
    db.session.commit()
    echo(f"  insight rollups: {time.monotonic() - started:.1f}s")
    # Planner statistics and the visibility map, as autovacuum would leave them after a
    # load this size (without the map no count can be answered from an index alone).
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    echo(f"  vacuum and analyze: {time.monotonic() - started:.1f}s")
    return {"members": n_members, "groups": n_groups, "threads": len(threads),
            "posts": len(posts), "reactions": len(reactions), "events": len(events),
            "registrations": len(registrations), "knowledge items": n_items,
            "signals": len(signals)}  # fmt: skip


def _seed_knowledge(rng, n_items: int, sectors: list[int], now) -> int:
    """Published kennisbank items with themes and sectors (for the list page's facets)."""
    tags = [t.id for t in db.session.scalars(select(Tag))]
    items, links, sector_links = [], [], []
    for item_id in range(1, n_items + 1):
        kind = rng.choice(KINDS)
        published = now - timedelta(days=rng.randint(0, 900))
        body = " ".join(sentence(rng) for _ in range(6))
        items.append({"id": item_id, "slug": f"bench-item-{item_id}", "kind": kind,
                      "status": "published", "title": sentence(rng, 6)[:190],
                      "summary": sentence(rng, 20), "body_source": body,
                      "body_html": f"<p>{escape(body)}</p>", "is_members_only": item_id % 5 == 0,
                      "evidence_level": rng.choice(EVIDENCE_LEVELS) if kind == "interventie" else None,
                      "created_at": published, "updated_at": published,
                      "published_at": published})  # fmt: skip
        links += [{"item_id": item_id, "tag_id": t} for t in rng.sample(tags, 3)]
        sector_links += [{"item_id": item_id, "sector_id": s} for s in rng.sample(sectors, 2)]
    _bulk(KnowledgeItem, items)
    db.session.execute(insert(item_tags), links)
    db.session.execute(insert(item_sectors), sector_links)
    return n_items


def _post(rng, post_id, thread_id, parent_id, author_id, depth, created) -> dict:
    body = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
    return {"id": post_id, "thread_id": thread_id, "parent_id": parent_id, "author_id": author_id,
            "depth": depth, "body_source": body, "body_html": f"<p>{escape(body)}</p>",
            "created_at": created}  # fmt: skip


def _reset_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "groups", "threads", "posts", "events", "knowledge_items"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        ))  # fmt: skip


def _index_for_search() -> None:
    """The search index, derived in SQL (what `flask search reindex` does row by row)."""
    db.session.execute(text("""
        INSERT INTO search_documents (kind, object_id, thread_id, group_id, author_id,
            author_sector_id, is_question, is_answered, is_visible, is_thread_visible,
            is_author_suspended, created_at, title, body_text)
        SELECT CASE WHEN p.depth = 0 THEN 'thread' ELSE 'post' END,
               CASE WHEN p.depth = 0 THEN t.id ELSE p.id END,
               t.id, t.group_id, p.author_id, u.sector_id, t.kind = 'question', false,
               true, true, false, p.created_at,
               CASE WHEN p.depth = 0 THEN t.title ELSE '' END, p.body_source
        FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN users u ON u.id = p.author_id
    """))  # fmt: skip
    db.session.execute(text("""
        INSERT INTO search_documents (kind, object_id, thread_id, group_id, author_id,
            author_sector_id, is_question, is_answered, is_visible, is_thread_visible,
            is_author_suspended, created_at, title, body_text)
        SELECT 'knowledge', k.id, NULL, 0, NULL, NULL, false, false, true, true, false,
               k.published_at, k.title, k.summary || ' ' || k.body_source
        FROM knowledge_items k
    """))  # fmt: skip


def bench_counts() -> dict[str, int]:
    return {
        "posts": db.session.scalar(select(func.count(Post.id))),
        "threads": db.session.scalar(select(func.count(Thread.id))),
    }


@click.command("bench")
@click.option("--scale", type=float, default=1.0, help="1.0 = 10,000 members, 400,000 posts.")
def seed_bench_command(scale: float) -> None:
    """A large synthetic community for benchmarks (into an empty database)."""
    counts = seed_bench(scale, echo=click.echo)
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))


def init_app(app) -> None:
    """`flask seed bench`, added to core's `seed` group by composition.py."""
    from core.cli import seed_cli

    seed_cli.add_command(seed_bench_command)
