"""Demo content for the insight pages (`flask seed demo`, idempotent).

A policy officer account (`beleid@demo.platformjep.nl`, subscribed to the quarterly
email), a few dozen more members in Rotterdam-Rijnmond and Utrecht so the regional
figures rise above the small-cell threshold, half a year of their conversations with
themes, answered questions and past meetings with attendance, and some signals. The
rollups are refreshed at the end so `/inzicht` shows numbers straight away.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from auth.models import User
from auth.passwords import hash_password
from auth.services import create_user, find_user_by_email
from core.db import utcnow
from core.extensions import db
from core.taxonomy import EventType, Function, Region, Sector, Tag
from core.text import render_markdown
from events.models import Event, Registration
from forum.models import Post, Thread, thread_tags
from groups.models import Group, Membership
from groups.services import ensure_regional_groups, recount_members
from insight.models import Signal
from insight.rollups import refresh_rollups
from insight.services import set_quarterly_subscription

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the documented demo password
DOMAIN = "demo.platformjep.nl"
POLICY_EMAIL = f"beleid@{DOMAIN}"
REGIONS = ("rotterdam-rijnmond", "utrecht")
SECTORS = ("onderwijs", "jongerenwerk", "politie", "wijkteam", "jeugdhulp")
FIRST = (
    "Noor",
    "Daan",
    "Yara",
    "Bram",
    "Fleur",
    "Samir",
    "Lotte",
    "Jesse",
    "Amira",
    "Ruben",
    "Iris",
    "Milan",
    "Naima",
    "Thijs",
    "Eva",
    "Kofi",
    "Sara",
    "Wouter",
)
LAST = (
    "de Boer",
    "Kaya",
    "Peters",
    "van Leeuwen",
    "Dekker",
    "Haddou",
    "Vos",
    "Brouwer",
    "Mertens",
    "Öztürk",
    "de Graaf",
    "Willems",
)
TOPICS = (
    ("Leerlingen delen complotfilmpjes in de klasgroep", ("complotdenken", "sociale-media")),
    (
        "Hoe praat je met een jongere die de overheid wantrouwt?",
        ("anti-institutioneel-extremisme", "gesprek-met-jongere"),
    ),
    (
        "Spanningen in de wijk na een incident bij het buurthuis",
        ("polarisatie", "maatschappelijke-onrust"),
    ),
    ("Jongens op een gamingplatform met extreemrechtse memes", ("gaming", "rechts-extremisme")),
    (
        "Ouders maken zich zorgen over nieuwe vrienden van hun zoon",
        ("ouders-gezin", "signaleren-duiden"),
    ),
    ("Wanneer breng je een zorg in bij het casusoverleg?", ("casusoverleg", "informatie-delen")),
    ("Vrouwenhaat in reacties van leerlingen", ("vrouwenhaat", "sociale-media")),
    (
        "Samen met school en jongerenwerk een themaweek",
        ("samenwerking-onderwijs-jongerenwerk", "weerbaarheid"),
    ),
    ("Desinformatie over de oorlog in het Midden-Oosten", ("desinformatie", "polarisatie")),
    ("Antisemitische opmerkingen op het sportveld", ("antisemitisme", "discriminatie")),
)
REPLIES = (
    "Herkenbaar. Bij ons helpt het om eerst te vragen wat de jongere zelf bedoelt.",
    "Wij hebben dit besproken met de wijkagent; samen optrekken werkte goed.",
    "Let op tegensignalen: er is ook veel wat goed gaat in dat gezin.",
    "In onze regio is hier een training voor; ik zet de link in het groepskanaal.",
    "Goed dat je het deelt. Ik zie hetzelfde op de scholen waar ik kom.",
)
NOTES = (
    "Zien we op meerdere scholen in de regio sinds de zomer.",
    "Speelt ook in twee wijken waar ik werk.",
    "Neemt toe sinds de berichtgeving in het nieuws.",
    "Ouders in de regio vragen hier vaker naar.",
)


def seed_demo() -> list[tuple[str, str, str]]:
    """Add the policy officer, the extra members and their activity (once), then
    refresh the rollups. Flushes only."""
    login = [(POLICY_EMAIL, DEMO_PASSWORD, "policy (beleidsmedewerker), kwartaaloverzicht aan")]
    if find_user_by_email(POLICY_EMAIL) is None:
        ensure_regional_groups()
        _seed_activity(random.Random(2026))  # noqa: S311 - demo data, not security
    refresh_rollups()
    return login


def _ids(model) -> dict[str, int]:
    return {term.key: term.id for term in db.session.scalars(select(model))}


def _seed_activity(rng: random.Random) -> None:
    sectors, functions, regions, tags = _ids(Sector), _ids(Function), _ids(Region), _ids(Tag)
    officer, _password = create_user(POLICY_EMAIL, "Marieke Brouwer", "policy", DEMO_PASSWORD)
    officer.organisation = "Gemeente Rotterdam"
    officer.sector_id = sectors["gemeente-oov"]
    officer.function_id = functions["beleidsmedewerker"]
    officer.region_id = regions["rotterdam-rijnmond"]
    db.session.flush()
    set_quarterly_subscription(officer.id, True)
    now = utcnow()
    event_type = db.session.scalar(
        select(EventType.id).where(EventType.key == "netwerkbijeenkomst")
    )
    for r, region_key in enumerate(REGIONS):
        group = db.session.scalar(select(Group).where(Group.slug == f"regio-{region_key}"))
        people = _members(r, region_key, sectors, functions, regions, group)
        _threads(rng, group, people, tags, now)
        _events(rng, group, people, event_type, now)
        recount_members(group)
    db.session.flush()


def _members(r, region_key, sectors, functions, regions, group) -> list[User]:
    """40 members of the region (one password hash for all: Argon2 is slow on purpose)."""
    password_hash = hash_password(DEMO_PASSWORD)
    now = utcnow()
    people = [
        User(
            email=f"lid-{region_key}-{n + 1}@{DOMAIN}",
            display_name=f"{FIRST[(n + r * 5) % len(FIRST)]} {LAST[(n * 7 + r) % len(LAST)]}",
            organisation="Demo-organisatie",
            password_hash=password_hash,
            sector_id=sectors[SECTORS[n % len(SECTORS)]],
            function_id=functions["leidinggevende"],
            region_id=regions[region_key],
            status="active",
            email_confirmed_at=now,
            approved_at=now,
            terms_accepted_at=now,
        )
        for n in range(40)
    ]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(Membership(group_id=group.id, user_id=u.id) for u in people)
    db.session.flush()
    return people


def _threads(rng, group, people, tags, now) -> None:
    threads = []
    for n in range(60):
        title, theme_keys = TOPICS[n % len(TOPICS)]
        author = people[n % len(people)]
        started = now - timedelta(days=rng.randint(2, 180), hours=rng.randint(0, 12))
        thread = Thread(
            group_id=group.id,
            author_id=author.id,
            title=title,
            kind="question" if n % 3 == 0 else "discussion",
            created_at=started,
            last_activity_at=started,
        )
        db.session.add(thread)
        db.session.flush()
        body = "Wat zien jullie hierover in de praktijk, en wat werkt?"
        posts = [
            Post(
                thread_id=thread.id,
                author_id=author.id,
                depth=0,
                body_source=body,
                body_html=render_markdown(body),
                created_at=started,
            )
        ]
        for k in range(rng.randint(1, 4)):
            text = REPLIES[(n + k) % len(REPLIES)]
            posts.append(
                Post(
                    thread_id=thread.id,
                    author_id=rng.choice(people).id,
                    depth=1,
                    body_source=text,
                    body_html=render_markdown(text),
                    created_at=started + timedelta(hours=3 + 9 * k),
                )
            )
        db.session.add_all(posts)
        db.session.flush()
        thread.first_post_id, thread.last_post_id = posts[0].id, posts[-1].id
        thread.reply_count, thread.last_activity_at = len(posts) - 1, posts[-1].created_at
        if thread.kind == "question" and n % 2 == 0:
            thread.accepted_post_id = posts[1].id
        db.session.execute(
            insert(thread_tags), [{"thread_id": thread.id, "tag_id": tags[k]} for k in theme_keys]
        )
        threads.append(thread)
    for k, thread in enumerate(threads[:8]):
        member = people[(k * 5 + 3) % len(people)]
        db.session.add(
            Signal(
                thread_id=thread.id,
                user_id=member.id,
                region_id=member.region_id,
                note=NOTES[k % len(NOTES)],
                created_at=thread.created_at + timedelta(days=1),
            )
        )


def _events(rng, group, people, event_type, now) -> None:
    for n in range(3):
        starts = now - timedelta(days=20 + 40 * n, hours=2)
        takers = rng.sample(people, 24)
        event = Event(
            group_id=group.id,
            event_type_id=event_type,
            title=f"Netwerkbijeenkomst {group.label} ({n + 1})",
            description_source="Professionals delen wat zij zien.",
            description_html=render_markdown("Professionals delen wat zij zien."),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=30,
            location="Stadskantoor",
            confirmed_count=len(takers),
        )
        db.session.add(event)
        db.session.flush()
        db.session.add_all(
            Registration(event_id=event.id, user_id=u.id, status="confirmed", attended=i < 18)
            for i, u in enumerate(takers)
        )
