"""The insight fixture: a small community in Utrecht (and one neighbour in Haaglanden)
whose every figure was counted by hand; see `HAND_COUNTED` and the comments below."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region, Tag
from core.text import render_markdown
from groups.models import Group, Membership
from insight.rollups import refresh_rollups

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
_numbers = itertools.count(1)


def at(day: str, hour: int = 9) -> datetime:
    """'2026-10-01' at `hour` UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def term_id(model, key: str) -> int:
    return db.session.scalar(select(model.id).where(model.key == key))


def insight_group(name: str, *, visibility="members", kind="thematic", region=None) -> Group:
    n = next(_numbers)
    group = Group(
        slug=f"inzicht-groep-{n}",
        name=name,
        kind=kind,
        visibility=visibility,
        region_id=term_id(Region, region) if region else None,
    )
    db.session.add(group)
    db.session.flush()
    return group


def insight_thread(group, author, day: str, *, kind="discussion", tags=(), hidden=False):
    """A thread with its opening post (written straight into the forum tables)."""
    from forum.models import Post, Thread, thread_tags

    started = at(day)
    thread = Thread(
        group_id=group.id,
        author_id=author.id,
        title=f"Gesprek {next(_numbers)} over signalen",
        kind=kind,
        created_at=started,
        last_activity_at=started,
        hidden_at=started if hidden else None,
    )
    db.session.add(thread)
    db.session.flush()
    opening = Post(thread_id=thread.id, author_id=author.id, depth=0, body_source="Vraag.",
                   body_html=render_markdown("Vraag."), created_at=started)  # fmt: skip
    db.session.add(opening)
    db.session.flush()
    thread.first_post_id = thread.last_post_id = opening.id
    if tags:
        db.session.execute(
            insert(thread_tags), [{"thread_id": thread.id, "tag_id": term_id(Tag, k)} for k in tags]
        )
    return thread


def insight_reply(thread, author, *, hours: float, accept: bool = False):
    from forum.models import Post

    post = Post(thread_id=thread.id, author_id=author.id, depth=1, body_source="Antwoord.",
                body_html=render_markdown("Antwoord."),
                created_at=thread.created_at + timedelta(hours=hours))  # fmt: skip
    db.session.add(post)
    db.session.flush()
    thread.reply_count += 1
    thread.last_post_id = post.id
    if accept:
        thread.accepted_post_id = post.id
    return post


def insight_signal(thread, member, day: str, note: str = "Zien we vaker in de regio."):
    from insight.models import Signal

    signal = Signal(thread_id=thread.id, user_id=member.id, region_id=member.region_id,
                    note=note, created_at=at(day, 15))  # fmt: skip
    db.session.add(signal)
    db.session.flush()
    return signal


def insight_event(group, day: str, registrations=(), *, status="scheduled", waitlisted=()):
    """An event on `day`; `registrations` are (member, attended) pairs, confirmed."""
    from events.models import Event, Registration

    starts = at(day, 14)
    event = Event(group_id=group.id, title=f"Netwerkbijeenkomst {next(_numbers)}",
                  starts_at=starts, ends_at=starts + timedelta(hours=2), status=status,
                  confirmed_count=len(registrations))  # fmt: skip
    db.session.add(event)
    db.session.flush()
    for member, attended in registrations:
        db.session.add(Registration(event_id=event.id, user_id=member.id, status="confirmed",
                                    attended=attended))  # fmt: skip
    for member in waitlisted:
        db.session.add(Registration(event_id=event.id, user_id=member.id, status="waitlisted"))
    db.session.flush()
    return event


@dataclass
class World:
    people: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    threads: dict = field(default_factory=dict)


@pytest.fixture
def utrecht(app, make_user):
    """The hand-counted community. Current period (3 months to NOW): Sep–Nov 2026;
    previous period: Jun–Aug 2026."""
    w = World()
    p = w.people
    for n in range(1, 7):
        p[f"t{n}"] = make_user(f"Docent {n}", sector="onderwijs", region="utrecht")
    for n in range(1, 6):
        p[f"p{n}"] = make_user(f"Agent {n}", sector="politie", region="utrecht")
    for n in range(1, 3):
        p[f"w{n}"] = make_user(f"Wijkteam {n}", sector="wijkteam", region="utrecht")
    p["pending"] = make_user(
        "Nog niet goedgekeurd", status="pending", sector="onderwijs", region="utrecht"
    )
    p["h1"] = make_user("Haagse docent", sector="onderwijs", region="haaglanden")
    p["coordinator"] = p["t1"]
    g = w.groups
    g["open"] = insight_group("Open groep")
    g["closed"] = insight_group("Besloten groep", visibility="closed")
    g["regional"] = insight_group("Regio Utrecht", kind="regional", region="utrecht")
    g["haaglanden"] = insight_group("Regio Haaglanden", kind="regional", region="haaglanden")
    db.session.add(Membership(group_id=g["regional"].id, user_id=p["t1"].id, role="coordinator"))
    db.session.add(Membership(group_id=g["closed"].id, user_id=p["t4"].id))

    t = w.threads
    # Current period, members of Utrecht.
    t["T1"] = insight_thread(
        g["open"], p["t1"], "2026-10-01", kind="question", tags=("polarisatie", "complotdenken")
    )
    insight_reply(t["T1"], p["p1"], hours=10, accept=True)  # politie: two sectors
    t["T2"] = insight_thread(
        g["open"], p["t2"], "2026-10-05", kind="question", tags=("polarisatie",)
    )
    insight_reply(t["T2"], p["t3"], hours=20, accept=True)  # same sector
    t["T3"] = insight_thread(
        g["open"], p["t3"], "2026-11-02", kind="question", tags=("polarisatie",)
    )
    t["T4"] = insight_thread(g["open"], p["p2"], "2026-09-10", tags=("polarisatie",))
    insight_reply(t["T4"], p["w1"], hours=1)  # wijkteam: two sectors
    t["T5"] = insight_thread(
        g["closed"], p["t4"], "2026-10-20", kind="question", tags=("jihadisme",)
    )
    insight_reply(t["T5"], p["t5"], hours=30, accept=True)
    t["T6"] = insight_thread(
        g["open"], p["t5"], "2026-11-10", kind="question", tags=("complotdenken",)
    )
    insight_reply(t["T6"], p["p3"], hours=4, accept=True)
    t["T7"] = insight_thread(
        g["open"], p["t6"], "2026-09-20", kind="question", tags=("polarisatie",)
    )
    insight_reply(t["T7"], p["w2"], hours=6, accept=True)
    t["T8"] = insight_thread(g["open"], p["t1"], "2026-10-10", tags=("polarisatie",), hidden=True)
    t["T10"] = insight_thread(g["open"], p["h1"], "2026-10-01", tags=("polarisatie",))
    # Previous period.
    t["T9"] = insight_thread(g["open"], p["t1"], "2026-07-01", tags=("polarisatie", "extremisme"))
    t["T11"] = insight_thread(g["open"], p["w1"], "2026-08-15", tags=("complotdenken",))
    t["T12"] = insight_thread(g["open"], p["p1"], "2026-06-05", tags=("polarisatie",))
    for n, member in enumerate(("t2", "t3", "t4", "t5")):
        t[f"T{13 + n}"] = insight_thread(
            g["open"], p[member], f"2026-07-{10 + n}", tags=("polarisatie",)
        )
    # Before both periods: counts nowhere on the page.
    t["old"] = insight_thread(g["open"], p["p5"], "2026-05-01")

    insight_signal(t["T1"], p["t2"], "2026-10-02")
    insight_signal(t["T1"], p["t3"], "2026-10-03")
    insight_signal(t["T4"], p["p1"], "2026-10-04")
    insight_signal(t["T5"], p["t4"], "2026-10-21")  # closed group: total only
    insight_signal(t["T1"], p["h1"], "2026-10-02")  # Haaglanden
    insight_signal(t["T2"], p["w1"], "2026-10-06")
    insight_signal(t["T3"], p["t5"], "2026-11-03")
    insight_signal(t["T7"], p["t6"], "2026-09-21")

    e = [
        (p[k], k in {"t1", "t2", "t3", "t4", "p1", "p2", "w1"})
        for k in ("t1", "t2", "t3", "t4", "t5", "p1", "p2", "p3", "w1")
    ]
    insight_event(g["regional"], "2026-10-12", e, waitlisted=[p["p4"]])
    insight_event(g["regional"], "2026-11-01", [(p["t1"], False)])
    insight_event(g["regional"], "2026-12-20", [(p["t2"], False)])  # after NOW
    insight_event(g["regional"], "2026-10-15", [(p["t3"], False)], status="cancelled")
    insight_event(g["haaglanden"], "2026-10-12", [(p["h1"], True)])
    db.session.commit()
    return w


@pytest.fixture
def refreshed(utrecht):
    """The hand-counted community with its rollups refreshed now."""
    refresh_rollups(utcnow())
    db.session.commit()
    return utrecht


@pytest.fixture
def outsider_coordinator(refreshed, make_user):
    """Lives in Twente, coordinates the Utrecht regional group."""
    user = make_user("Coördinator van buiten", sector="wijkteam", region="twente")
    db.session.add(
        Membership(group_id=refreshed.groups["regional"].id, user_id=user.id, role="coordinator")
    )
    db.session.commit()
    return user


#: Every figure of Utrecht's page for the 3 months up to NOW, counted by hand from the
#: fixture above. None means shown as "< 5".
HAND_COUNTED = {
    # onderwijs 6, politie 5, wijkteam 2: wijkteam hidden, politie hidden too (secondary)
    "members": ({"onderwijs": 6, "politie": None, "wijkteam": None}, 13),
    # wrote in the 90 days before NOW: t1..t6; p1, p2, p3 (not p4, p5); w1, w2
    "active_members": ({"onderwijs": 6, "politie": None, "wijkteam": None}, 11),
    # T1 T2 T3 T5 T6 T7 by teachers, T4 by police: politie hidden, onderwijs secondary
    "threads": ({"onderwijs": None, "politie": None, "wijkteam": 0}, 7),
    "questions": ({"onderwijs": 6, "politie": 0, "wijkteam": 0}, 6),
    "questions_answered": ({"onderwijs": 5, "politie": 0, "wijkteam": 0}, 5),
    # T1, T6, T7 (teachers) and T4 (police)
    "multi_sector_threads": ({"onderwijs": None, "politie": None, "wijkteam": 0}, None),
    # E1: t1..t5, p1..p3, w1 confirmed (p4 waitlisted); E2: t1
    "registrations": ({"onderwijs": 6, "politie": None, "wijkteam": None}, 10),
    "attended": ({"onderwijs": None, "politie": None, "wijkteam": None}, 7),
}
