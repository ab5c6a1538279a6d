"""Which digests are due, and sending one exactly once.

A digest is due when, in the member's own time zone, the clock shows their digest hour
(and, for weekly digests, their weekday). The period key names that local day or ISO
week, so a beat that fires twice in the hour, a task run twice or a redelivered task all
meet the unique DigestRun (user, period) and the outbox key `digest:<user>:<period>`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, case, func, select

from auth.models import User
from core.db import upsert_insert
from core.extensions import db
from core.i18n import gettext as _
from core.i18n import ngettext, zone_for
from core.mail import queue_emails, render_email
from notifications.candidates import DigestCandidates, candidates_since, load_candidates
from notifications.digest import Digest, compose_digests
from notifications.models import DigestRun, NotificationPreference
from notifications.unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)

PERIOD_LENGTH = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
BATCH_SIZE = 500
# Members per digest task: composed with a fixed number of queries and one commit.
DIGESTS_PER_TASK = 100


def period_key(frequency: str, now: datetime, zone: ZoneInfo) -> str:
    """'daily:2026-10-05' or 'weekly:2026-W41', in the member's zone."""
    local = now.astimezone(zone)
    if frequency == "daily":
        return f"daily:{local.date().isoformat()}"
    year, week, _ = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def _effective_columns():
    """Preference columns with the lazy defaults for members without a row."""
    frequency = func.coalesce(
        NotificationPreference.digest_frequency,
        case((User.digest_opt_in.is_(True), "weekly"), else_="never"),
    )
    hour = func.coalesce(NotificationPreference.digest_hour, 8)
    weekday = func.coalesce(NotificationPreference.digest_weekday, 0)
    return frequency, hour, weekday


def due_members(frequency: str, now: datetime) -> Iterator[tuple[int, str]]:
    """(user id, period key) of the members whose `frequency` digest is due at `now`.

    One query per time zone in use (a handful), streaming ids in batches.
    """
    if frequency not in PERIOD_LENGTH:
        raise ValueError(frequency)
    eff_frequency, eff_hour, eff_weekday = _effective_columns()
    base = (
        select(User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.status == "active", User.email.is_not(None), eff_frequency == frequency)
    )
    zones = db.session.scalars(select(User.timezone).where(User.status == "active").distinct())
    for zone_name in list(zones):
        zone = zone_for(zone_name)
        local = now.astimezone(zone)
        stmt = base.where(User.timezone == zone_name, eff_hour == local.hour)
        if frequency == "weekly":
            stmt = stmt.where(eff_weekday == local.weekday())
        key = period_key(frequency, now, zone)
        last_id = 0
        while True:
            ids = list(
                db.session.scalars(
                    stmt.where(User.id > last_id).order_by(User.id).limit(BATCH_SIZE)
                )
            )
            if not ids:
                break
            for user_id in ids:
                yield user_id, key
            last_id = ids[-1]


# The Celery task that sends a batch of digests, registered by tasks.notifications when
# the Celery app starts (notifications does not import tasks/).
_batch_task = None


def register_batch_task(send_digests) -> None:
    """Called by tasks.notifications: `send_digests.apply_async(args=[ids, key, now, run])`."""
    global _batch_task
    _batch_task = send_digests


def enqueue_due_digests(frequency: str, now: datetime) -> int:
    """Start `tasks.notifications.send_digests` for the due members, one task per
    DIGESTS_PER_TASK members of the same period. Returns how many members."""
    if _batch_task is None:
        raise RuntimeError("the Celery app is not initialised (tasks.app.celery_init_app)")
    send_digests = _batch_task
    run_id = uuid.uuid4().hex  # the tasks of this run share their candidates
    count = 0
    batch: list[int] = []
    batch_key = None
    for user_id, key in due_members(frequency, now):
        if batch and (key != batch_key or len(batch) >= DIGESTS_PER_TASK):
            send_digests.apply_async(args=[batch, batch_key, now.isoformat(), run_id])
            batch = []
        batch.append(user_id)
        batch_key = key
        count += 1
    if batch:
        send_digests.apply_async(args=[batch, batch_key, now.isoformat(), run_id])
    return count


@dataclass(frozen=True)
class DigestOutcome:
    status: str  # sent | empty | duplicate | skipped
    digest: Digest | None = None


def digest_subject(digest: Digest):
    """'3 nieuwe gesprekken en 2 open vragen in je groepen' – what is inside."""
    parts = []
    if digest.new_threads:
        n = len(digest.new_threads)
        parts.append(ngettext("%(num)d nieuw gesprek", "%(num)d nieuwe gesprekken", n))
    if digest.new_replies:
        n = sum(item.new_replies for item in digest.new_replies)
        parts.append(ngettext("%(num)d nieuwe reactie", "%(num)d nieuwe reacties", n))
    if digest.open_questions:
        n = len(digest.open_questions)
        parts.append(ngettext("%(num)d open vraag", "%(num)d open vragen", n))
    if digest.events:
        n = len(digest.events)
        parts.append(ngettext("%(num)d bijeenkomst", "%(num)d bijeenkomsten", n))
    if digest.knowledge:
        n = len(digest.knowledge)
        parts.append(ngettext("%(num)d nieuw kennisbankitem", "%(num)d nieuwe kennisbankitems", n))
    if not parts and digest.cross_sector:
        n = len(digest.cross_sector)
        parts.append(
            ngettext(
                "%(num)d gesprek met andere sectoren",
                "%(num)d gesprekken met andere sectoren",
                n,
            )
        )
    if len(parts) == 1:
        joined = parts[0]
    else:
        joined = ", ".join(parts[:-1]) + " " + _("en") + " " + parts[-1]
    return _("%(what)s in je groepen", what=joined)


def send_digest(
    user_id: int,
    key: str,
    now: datetime,
    *,
    candidates: DigestCandidates | None = None,
) -> DigestOutcome:
    """`send_digests` for one member."""
    return send_digests([user_id], key, now, candidates=candidates)[user_id]


def send_digests(
    user_ids: list[int],
    key: str,
    now: datetime,
    *,
    candidates: DigestCandidates | None = None,
) -> dict[int, DigestOutcome]:
    """Compose and queue the digests `key` for many members, each at most once.

    Set-based: a fixed number of queries for the whole batch (members, their runs, the
    composition, one insert of the runs and one of the emails). Flushes; the caller
    commits, and the emails are dispatched after that commit. A caller sending many
    batches for the same `now` passes the run's shared `candidates`.
    """
    frequency = key.partition(":")[0]
    outcomes = {user_id: DigestOutcome("skipped") for user_id in user_ids}
    if frequency not in PERIOD_LENGTH or not user_ids:
        return outcomes
    users = [
        user
        for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))
        if user.status == "active" and user.email
    ]
    # This period's run (if any) and the previous run's time, in one round trip.
    runs = {
        row.user_id: row
        for row in db.session.execute(
            _RUNS, {"user_ids": [u.id for u in users], "key": key, "pattern": f"{frequency}:%"}
        )
    }
    length = PERIOD_LENGTH[frequency]
    starts: dict[int, datetime] = {}
    for user in users:
        run = runs.get(user.id)
        if run is not None and run.done:
            outcomes[user.id] = DigestOutcome("duplicate")
            continue
        previous = run.previous if run is not None else None
        fresh = previous is not None and now - 2 * length < previous < now
        starts[user.id] = previous if fresh else now - length
    users = [user for user in users if user.id in starts]
    if not users:
        return outcomes
    base_url = current_app.config["BASE_URL"]
    digests = compose_digests(users, starts, now, base_url=base_url, candidates=candidates)
    # ON CONFLICT DO NOTHING: a concurrent run of the same task that got here first wins
    # and this one leaves that member alone, without a savepoint.
    inserted = set(
        db.session.scalars(
            upsert_insert(db.session.get_bind().dialect.name)(DigestRun.__table__)
            .on_conflict_do_nothing(index_elements=["user_id", "period"])
            .returning(DigestRun.__table__.c.user_id),
            [
                {"user_id": u.id, "period": key, "item_count": digests[u.id].item_count,
                 "status": "empty" if digests[u.id].is_empty else "sent", "created_at": now}
                for u in users
            ],
        )
    )  # fmt: skip
    messages = []
    for user in users:
        digest = digests[user.id]
        if user.id not in inserted:
            outcomes[user.id] = DigestOutcome("duplicate")
        elif digest.is_empty:
            outcomes[user.id] = DigestOutcome("empty", digest)
        else:
            outcomes[user.id] = DigestOutcome("sent", digest)
            messages.append(_digest_email(user, digest, key, base_url))
    queue_emails(messages)
    return outcomes


def _digest_email(user: User, digest: Digest, key: str, base_url: str):
    language = user.language or "nl"
    with force_locale(language):
        subject = digest_subject(digest)
    return render_email(
        user.email,
        "notifications/digest",
        subject=subject,
        context={
            "user": user,
            "digest": digest,
            "zone": user.timezone,
            "frequency": key.partition(":")[0],
            "preferences_url": base_url + "/account/notifications",
        },
        locale=language,
        kind="digest",
        idempotency_key=f"digest:{user.id}:{key}",
        unsubscribe_url=unsubscribe_url(user, "digest"),
    )


_RUNS = (
    select(
        DigestRun.user_id,
        (func.count(DigestRun.id).filter(DigestRun.period == bindparam("key")) > 0).label("done"),
        func.max(DigestRun.created_at)
        .filter(DigestRun.period != bindparam("key"))
        .label("previous"),
    )
    .where(
        DigestRun.user_id.in_(bindparam("user_ids", expanding=True)),
        DigestRun.period.like(bindparam("pattern")),
    )
    .group_by(DigestRun.user_id)
)


class CandidateCache:
    """The shared digest candidates of one run, per worker process.

    `enqueue_due_digests` gives every task of a run the same run id and `now`, so a
    worker loads the candidates once per run and reuses them for at most `ttl` seconds.
    A task without a run id (a resend, a test) loads fresh ones. Candidates are only a
    starting point: composition re-reads the items it picks, so nothing hidden, deleted
    or made private in the meantime is shown.
    """

    def __init__(self, ttl: float = 600.0) -> None:
        self.ttl = ttl
        self._entry: tuple[tuple, float, DigestCandidates] | None = None

    def get(self, now: datetime, run_id: str | None = None) -> DigestCandidates:
        # Covers every period that ends at `now`: a previous run at most two periods ago.
        since = candidates_since(now - 2 * max(PERIOD_LENGTH.values()), now)
        key = (run_id, str(db.engine.url), now)
        if run_id is not None and self._entry is not None:
            cached_key, loaded_at, candidates = self._entry
            if cached_key == key and time.monotonic() - loaded_at < self.ttl:
                return candidates
        candidates = load_candidates(since, now)
        if run_id is not None:
            self._entry = (key, time.monotonic(), candidates)
        return candidates


candidate_cache = CandidateCache()
