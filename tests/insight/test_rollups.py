"""The rollup tables agree with a direct count: a random community is counted once by
`refresh_rollups` (SQL) and once here, row by row in Python."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from auth.models import User
from core.extensions import db
from events.models import Event, Registration
from forum.models import Post, Thread
from groups.models import Group
from insight.models import MemberCount, Rollup, Signal
from insight.periods import month_of
from insight.rollups import ACTIVE_DAYS, refresh_rollups
from tests.insight.conftest import (
    NOW,
    insight_event,
    insight_group,
    insight_reply,
    insight_signal,
    insight_thread,
)

REGIONS = ("utrecht", "haaglanden", "twente")
SECTORS = ("onderwijs", "politie", "wijkteam", "jongerenwerk")
TAGS = ("polarisatie", "complotdenken", "gaming", "extremisme")


def _random_community(rng, make_user):
    people = [
        make_user(
            sector=rng.choice(SECTORS),
            region=rng.choice(REGIONS),
            status=rng.choice(("active", "active", "active", "suspended")),
        )
        for _ in range(30)
    ]
    groups = [
        insight_group("Open"),
        insight_group("Besloten", visibility="closed"),
        insight_group("Geheim", visibility="secret"),
        *(insight_group(f"Regio {r}", kind="regional", region=r) for r in REGIONS),
    ]
    threads = []
    for _ in range(60):
        day = (NOW - timedelta(days=rng.randint(0, 400))).date().isoformat()
        thread = insight_thread(
            rng.choice(groups),
            rng.choice(people),
            day,
            kind=rng.choice(("question", "discussion")),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            hidden=rng.random() < 0.1,
        )
        for _ in range(rng.randint(0, 4)):
            insight_reply(thread, rng.choice(people), hours=rng.randint(1, 90))
        if thread.kind == "question" and thread.reply_count and rng.random() < 0.6:
            thread.accepted_post_id = thread.last_post_id
        threads.append(thread)
    seen = set()
    for _ in range(25):
        thread, member = rng.choice(threads), rng.choice(people)
        if (thread.id, member.id) not in seen:
            seen.add((thread.id, member.id))
            day = (thread.created_at + timedelta(days=rng.randint(0, 30))).date().isoformat()
            insight_signal(thread, member, day)
    for _ in range(12):
        day = (NOW + timedelta(days=rng.randint(-300, 40))).date().isoformat()
        takers = rng.sample(people, rng.randint(0, 8))
        insight_event(
            rng.choice(groups),
            day,
            [(p, rng.random() < 0.7) for p in takers],
            status=rng.choice(("scheduled", "scheduled", "cancelled")),
        )
    db.session.commit()


def _direct_count() -> Counter:
    """What the rollups should hold, counted from the rows themselves."""
    expected: Counter = Counter()
    users = {u.id: u for u in db.session.scalars(select(User))}
    groups = {g.id: g for g in db.session.scalars(select(Group))}
    posts = list(db.session.scalars(select(Post)))
    threads = [t for t in db.session.scalars(select(Thread)) if t.hidden_at is None]
    shown_threads = {t.id: t for t in threads}
    for thread in threads:
        author = users[thread.author_id]
        key = (author.region_id, month_of(thread.created_at))
        sector = author.sector_id
        expected[(*key, "threads", sector)] += 1
        if thread.kind == "question":
            expected[(*key, "questions", sector)] += 1
            if thread.accepted_post_id:
                expected[(*key, "questions_answered", sector)] += 1
                accepted = next(p for p in posts if p.id == thread.accepted_post_id)
                seconds = round((accepted.created_at - thread.created_at).total_seconds())
                expected[(*key, "answer_seconds", max(0, seconds))] += 1
        sectors = {users[p.author_id].sector_id for p in posts if p.thread_id == thread.id}
        if len(sectors) >= 2:
            expected[(*key, "multi_sector_threads", sector)] += 1
        if groups[thread.group_id].visibility == "members":
            for tag in thread.tags:
                expected[(*key, "theme_threads", tag.id)] += 1
    for signal in db.session.scalars(select(Signal)):
        thread = shown_threads.get(signal.thread_id)
        if thread is None:
            continue
        key = (signal.region_id, month_of(signal.created_at))
        expected[(*key, "signals", 0)] += 1
        if groups[thread.group_id].visibility == "members":
            for tag in thread.tags:
                expected[(*key, "theme_signals", tag.id)] += 1
    for event in db.session.scalars(select(Event)):
        group = groups[event.group_id]
        if event.status != "scheduled" or event.starts_at >= NOW or group.region_id is None:
            continue
        key = (group.region_id, month_of(event.starts_at))
        expected[(*key, "events_held", 0)] += 1
        for registration in db.session.scalars(
            select(Registration).where(Registration.event_id == event.id)
        ):
            if registration.status != "confirmed":
                continue
            sector = users[registration.user_id].sector_id
            expected[(*key, "registrations", sector)] += 1
            if registration.attended:
                expected[(*key, "attended", sector)] += 1
    return expected


def _direct_members() -> dict:
    cutoff = NOW - timedelta(days=ACTIVE_DAYS)
    writers = {p.author_id for p in db.session.scalars(select(Post)) if p.created_at >= cutoff}
    counts: dict = {}
    for user in db.session.scalars(select(User).where(User.status == "active")):
        members, active = counts.get((user.region_id, user.sector_id), (0, 0))
        counts[(user.region_id, user.sector_id)] = (members + 1, active + (user.id in writers))
    return counts


def test_rollups_equal_a_direct_count_of_a_random_community(app, make_user):
    _random_community(random.Random(7), make_user)
    refresh_rollups(NOW)
    db.session.commit()
    stored = {
        (r.region_id, r.month, r.metric, r.key_id): r.value
        for r in db.session.scalars(select(Rollup))
    }
    assert stored == dict(_direct_count())
    members = {
        (m.region_id, m.sector_id): (m.members, m.active_members)
        for m in db.session.scalars(select(MemberCount))
    }
    assert members == _direct_members()


def test_a_second_refresh_replaces_the_rollups(utrecht):
    refresh_rollups(NOW)
    db.session.commit()
    first = sorted(
        (r.region_id, r.month, r.metric, r.key_id, r.value)
        for r in db.session.scalars(select(Rollup))
    )
    refresh_rollups(NOW)
    db.session.commit()
    second = sorted(
        (r.region_id, r.month, r.metric, r.key_id, r.value)
        for r in db.session.scalars(select(Rollup))
    )
    assert first == second
    assert first


def test_the_beat_task_refreshes_the_rollups(utrecht):
    from tasks.insight import refresh_rollups as task

    assert task.apply(args=[NOW.isoformat()]).get() > 0
    assert db.session.scalar(select(Rollup.id).limit(1)) is not None
