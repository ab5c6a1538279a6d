"""Search benchmark on PostgreSQL: `python -m bench.search [--rows 1000000]`.

Creates a private database, loads ROWS reply rows of generated Dutch field text into
`search_documents` with COPY, then times `search.queries.search` for one-word and
three-word queries as a member of a handful of groups. Prints a table, writes
bench/results/search-<date>.json and drops the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).parent / "results"

FIELD_WORDS = [
    "jongere",
    "jongeren",
    "jongerenwerker",
    "radicalisering",
    "radicaliseert",
    "polarisatie",
    "extremisme",
    "complot",
    "complotdenken",
    "complotfilmpjes",
    "desinformatie",
    "school",
    "leerling",
    "leerlingen",
    "docent",
    "ouders",
    "ouder",
    "moeder",
    "vader",
    "gezin",
    "wijk",
    "buurt",
    "wijkagent",
    "politie",
    "gemeente",
    "zorg",
    "jeugdzorg",
    "hulpverlening",
    "hulpverlener",
    "signaal",
    "signalen",
    "zorgen",
    "melding",
    "veiligheidshuis",
    "casus",
    "casusoverleg",
    "overleg",
    "netwerk",
    "samenwerking",
    "vertrouwen",
    "gesprek",
    "gesprekken",
    "dialoog",
    "weerbaarheid",
    "identiteit",
    "geloof",
    "moskee",
    "kerk",
    "religie",
    "islam",
    "rechts",
    "links",
    "extreemrechts",
    "jihadisme",
    "online",
    "sociale",
    "media",
    "tiktok",
    "telegram",
    "instagram",
    "filmpjes",
    "memes",
    "gaming",
    "discord",
    "groepsdruk",
    "vrienden",
    "vriendengroep",
    "eenzaamheid",
    "uitsluiting",
    "discriminatie",
    "racisme",
    "antisemitisme",
    "haat",
    "haatzaaien",
    "geweld",
    "dreiging",
    "aanslag",
    "terrorisme",
    "ideologie",
    "propaganda",
    "rekrutering",
    "beïnvloeding",
    "verleiding",
    "onderwijs",
    "klas",
    "mentor",
    "schoolmaatschappelijk",
    "werk",
    "reclassering",
    "detentie",
    "terugkeer",
    "re-integratie",
    "begeleiding",
    "coaching",
    "training",
    "workshop",
    "deskundigheid",
    "handelingsperspectief",
    "aanpak",
    "interventie",
    "preventie",
    "vroegsignalering",
    "privacy",
    "avg",
    "informatie",
    "delen",
    "toestemming",
    "registratie",
    "dossier",
    "verwijzing",
    "advies",
    "vraagbaak",
    "ervaring",
    "ervaringen",
    "tips",
    "voorbeeld",
    "voorbeelden",
    "methode",
    "methodiek",
    "protocol",
    "wijkteam",
    "sportclub",
    "trainer",
    "vrijwilliger",
    "moskeebestuur",
    "imam",
    "pastor",
    "jongerencentrum",
    "straatcultuur",
    "drill",
    "rap",
    "muziek",
    "taal",
    "boosheid",
    "frustratie",
    "onrecht",
    "wantrouwen",
    "overheid",
    "corona",
    "vaccinatie",
    "klimaat",
    "activisme",
    "demonstratie",
    "protest",
    "boeren",
    "oorlog",
    "gaza",
    "oekraïne",
]
FILLER = [
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "op",
    "met",
    "voor",
    "dat",
    "die",
    "is",
    "was",
    "zijn",
    "niet",
    "ook",
    "maar",
    "om",
    "als",
    "bij",
    "naar",
    "er",
    "nog",
    "wel",
    "dan",
    "of",
    "door",
    "over",
    "hij",
    "zij",
    "we",
    "ze",
    "ik",
    "je",
    "wat",
    "hoe",
    "wie",
    "waar",
    "toen",
    "nu",
    "al",
    "meer",
    "veel",
    "goed",
    "heel",
    "echt",
    "vaak",
    "soms",
    "altijd",
    "hebben",
    "heeft",
    "had",
    "kan",
    "kunnen",
    "moet",
    "wil",
    "gaat",
    "gaan",
    "komt",
    "zien",
    "weten",
    "denken",
    "vinden",
    "zeggen",
    "doen",
    "maken",
]


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = FIELD_WORDS + FILLER
    rng.shuffle(words)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(words))]  # roughly Zipf
    return words, weights


def _text(rng, words, cum_weights, low, high) -> str:
    return " ".join(rng.choices(words, cum_weights=cum_weights, k=rng.randint(low, high)))


def _load(conn, rows: int, groups: list[int], authors: int, rng) -> None:
    words, weights = _vocabulary(rng)
    cum, total = [], 0.0
    for weight in weights:
        total += weight
        cum.append(total)
    start = datetime(2022, 1, 1, tzinfo=UTC)
    span = 4 * 365 * 24 * 3600
    columns = ("kind, object_id, thread_id, group_id, author_id, author_sector_id, is_question, "
               "is_answered, is_visible, is_thread_visible, is_author_suspended, created_at, "
               "title, body_text")  # fmt: skip
    with conn.cursor() as cur, cur.copy(f"COPY search_documents ({columns}) FROM STDIN") as copy:
        for n in range(rows):
            is_thread = n % 10 == 0
            thread_id = n // 10 + 1
            # Rows arrive in time order, as on a real forum.
            created = start + timedelta(seconds=span * n // rows + rng.randrange(60))
            title = _text(rng, words, cum, 4, 9) if is_thread else ""
            copy.write_row(
                (
                    "thread" if is_thread else "post", n + 1, thread_id, rng.choice(groups),
                    rng.randint(1, authors), rng.randint(1, 12), thread_id % 3 == 0,
                    thread_id % 6 == 0, rng.random() > 0.01, True, False, created, title,
                    _text(rng, words, cum, 20, 90),
                )
            )  # fmt: skip
            if n and n % 100_000 == 0:
                print(f"  {n:,} rows", file=sys.stderr, flush=True)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the database (for EXPLAIN)")
    args = parser.parse_args()

    import psycopg

    rng = random.Random(args.seed)
    name = f"jep_bench_{uuid.uuid4().hex[:8]}"
    base = ADMIN_URL.rsplit("/", 1)[0]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run(args, rng, f"{base}/{name}")
    finally:
        if args.keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(args, rng: random.Random, url: str) -> int:
    import tempfile

    import psycopg
    from sqlalchemy import select

    from composition import create_app
    from core.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0000",
            "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://"),
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="jep-bench-"),
            "REDIS_URL": None,
            "SMTP_URL": None,
        }
    )
    with app.app_context():
        from auth.models import User
        from groups.models import Group, Membership
        from search.queries import search

        db.create_all()
        member = User(email="bench@example.org", display_name="Bench", status="active")
        groups = [Group(slug=f"g{n}", name=f"Groep {n}", visibility="members" if n < 25 else "closed")
                  for n in range(50)]  # fmt: skip
        db.session.add_all([member, *groups])
        db.session.flush()
        db.session.add_all(Membership(group_id=g.id, user_id=member.id) for g in groups[25:30])
        db.session.commit()
        group_ids = list(db.session.scalars(select(Group.id)))

        print(f"loading {args.rows:,} index rows …", file=sys.stderr, flush=True)
        began = time.perf_counter()
        with psycopg.connect(url) as conn:
            conn.execute("DROP INDEX ix_search_documents_search_vector")
            _load(conn, args.rows, group_ids, 5000, rng)
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("CREATE INDEX ix_search_documents_search_vector ON search_documents "
                         "USING gin (search_vector)")  # fmt: skip
            conn.commit()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE search_documents")
        load_seconds = time.perf_counter() - began
        print(f"loaded in {load_seconds:.0f} s", file=sys.stderr, flush=True)

        member = db.session.get(User, member.id)
        query_sets = {
            "1 word": [rng.choice(FIELD_WORDS) for _ in range(args.queries)],
            "3 words": [" ".join(rng.sample(FIELD_WORDS, 3)) for _ in range(args.queries)],
            "2 words": [" ".join(rng.sample(FIELD_WORDS, 2)) for _ in range(args.queries)],
        }
        for warm in FIELD_WORDS[:20]:
            search(member, warm)
        figures = {}
        for label, queries in query_sets.items():
            timings, hits = [], []
            for query in queries:
                began = time.perf_counter()
                page = search(member, query)
                timings.append((time.perf_counter() - began) * 1000)
                hits.append(page.total)
                db.session.rollback()
            figures[label] = {
                "queries": len(queries),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(_percentile(timings, 0.95), 1),
                "max_ms": round(max(timings), 1),
                "median_hits": statistics.median(hits),
            }

    print(f"\nsearch on PostgreSQL, {args.rows:,} documents, member of 5 of 50 groups")
    print(f"{'query':<10}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'median hits':>14}")
    for label, f in figures.items():
        print(f"{label:<10}{f['queries']:>6}{f['p50_ms']:>10}{f['p95_ms']:>10}{f['max_ms']:>10}"
              f"{f['median_hits']:>14}")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"search-{datetime.now(UTC):%Y-%m-%d}.json"
    out.write_text(json.dumps({"rows": args.rows, "load_seconds": round(load_seconds),
                               "results": figures}, indent=2))  # fmt: skip
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
