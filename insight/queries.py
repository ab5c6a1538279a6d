"""Read side of the insight pages: figures for one region and the national overview,
added up from the rollup tables (a few hundred rows at most), then suppressed.

Nothing here returns member rows: the page receives counts per sector, theme or region
that already passed `insight.suppression`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, func, literal, select

from core.db import id_list, parse_ids
from core.extensions import db
from core.taxonomy import Region, Sector, Tag
from forum.models import Thread
from groups.models import Group, Membership
from insight.cache import refresh_stamp_column
from insight.models import MemberCount, Rollup, Signal
from insight.periods import Period
from insight.suppression import (
    Cell,
    Partition,
    cell,
    change,
    median_of_histogram,
    suppress_partition,
)
from knowledge.models import KnowledgeItem

SECTOR_METRICS = (
    "threads",
    "questions",
    "questions_answered",
    "multi_sector_threads",
    "registrations",
    "attended",
)
TOTAL_METRICS = ("events_held", "signals")
THEME_METRICS = ("theme_threads", "theme_signals")
KNOWLEDGE_METRICS = ("kb_reads",)
ANSWER_METRICS = ("answer_seconds",)
#: How many kennisbank items the region page lists at most.
TOP_ITEMS = 10


@dataclass(frozen=True)
class Term:
    """A sector or theme as a row label (id 0: no sector given)."""

    id: int
    label: str


@dataclass(frozen=True)
class RegionRef:
    """A region as the pages show it, label in the language it was made in: plain
    values, so figures holding it can outlive the request (see `insight.cache`)."""

    id: int
    key: str
    label: str

    @classmethod
    def of(cls, region: Region) -> RegionRef:
        return cls(region.id, region.key, region.label)


@dataclass(frozen=True)
class ThemeRow:
    theme: Term
    current: Cell
    previous: Cell
    change: int | None
    signals: Cell


@dataclass(frozen=True)
class ReadRow:
    """A kennisbank item read by members of the region in the period (never fewer than
    five: an item read by one to four members is not named at all)."""

    item_id: int
    slug: str
    title: str
    reads: Cell


@dataclass(frozen=True)
class RegionFigures:
    """Every figure of the region page, already suppressed. Frozen and made of plain
    values: `insight.cache` shares one instance between requests."""

    region: RegionRef
    period: Period
    refreshed_at: datetime | None
    sectors: list[Term]
    members: Partition[int]
    active_members: Partition[int]
    per_sector: dict[str, Partition[int]]
    totals: dict[str, Cell]
    median_answer_hours: float | None
    themes: list[ThemeRow] = field(default_factory=list)
    #: Reads per kennisbank item in the period, only counts of five or more (from the
    #: rollups); `most_read` names them, from the items as they are now.
    item_reads: dict[int, int] = field(default_factory=dict)
    most_read: list[ReadRow] = field(default_factory=list)


@dataclass(frozen=True)
class RegionRow:
    region: RegionRef
    members: Cell
    active_members: Cell
    questions: Cell
    events_held: Cell
    signals: Cell


def _sums(region_id: int | None, period: Period, metrics: tuple[str, ...]):
    """{(region, metric, key): (current, previous)} for the period and the one before."""
    previous = period.previous
    in_current = Rollup.month >= period.first
    stmt = (
        select(
            Rollup.region_id,
            Rollup.metric,
            Rollup.key_id,
            func.sum(case((in_current, Rollup.value), else_=0)),
            func.sum(case((in_current, 0), else_=Rollup.value)),
        )
        .where(
            Rollup.metric.in_(metrics),
            Rollup.month >= previous.first,
            Rollup.month <= period.last,
        )
        .group_by(Rollup.region_id, Rollup.metric, Rollup.key_id)
    )
    if region_id is not None:
        stmt = stmt.where(Rollup.region_id == region_id)
    return {
        (region, metric, key): (int(current or 0), int(before or 0))
        for region, metric, key, current, before in db.session.execute(stmt)
    }


def _terms(model, ids: set[int]) -> dict[int, Term]:
    if not ids:
        return {}
    found = db.session.scalars(select(model).where(model.id.in_(ids)).order_by(model.position))
    return {term.id: Term(term.id, term.label) for term in found}


def median_answer_hours(answer_seconds: dict[int, int]) -> float | None:
    """Median hours from question to accepted answer, from the rollups' histogram
    {seconds: questions} of the region's questions asked in the period; None for fewer
    than five answered questions."""
    median = median_of_histogram(answer_seconds)
    return None if median is None else round(median / 3600, 1)


def region_figures(region: Region | RegionRef, period: Period) -> RegionFigures:
    """Every figure of the region page, suppressed: `rollup_figures` and the most read
    kennisbank items. At most six queries, whatever the size."""
    return with_most_read(rollup_figures(region, period))


def with_most_read(figures: RegionFigures) -> RegionFigures:
    """The figures with the most read items named as they are now (an item unpublished
    since the last refresh drops out at once). One query, none without reads."""
    return replace(figures, most_read=most_read_items(figures.item_reads))


def rollup_figures(region: Region | RegionRef, period: Period) -> RegionFigures:
    """The figures that come from the rollup tables alone, suppressed (`most_read`
    empty). The same for everyone who may see the region, and changed only by a
    refresh: `insight.cache` keeps them per refresh stamp. At most five queries."""
    if isinstance(region, Region):
        region = RegionRef.of(region)
    metrics = SECTOR_METRICS + TOTAL_METRICS + THEME_METRICS + KNOWLEDGE_METRICS + ANSWER_METRICS
    sums = _sums(region.id, period, metrics)
    counts = db.session.execute(
        select(
            MemberCount.sector_id,
            MemberCount.members,
            MemberCount.active_members,
            MemberCount.refreshed_at,
        ).where(MemberCount.region_id == region.id)
    ).all()
    sector_ids = {key for (_r, metric, key) in sums if metric in SECTOR_METRICS}
    sector_ids |= {row.sector_id for row in counts}
    sectors = _terms(Sector, sector_ids - {0})
    ordered = list(sectors.values())
    if 0 in sector_ids:
        ordered.append(Term(0, "—"))

    now_by_metric: dict[str, dict[int, int]] = defaultdict(dict)
    before_by_metric: dict[str, dict[int, int]] = defaultdict(dict)
    for (_r, metric, key), (now, before) in sums.items():
        if now:
            now_by_metric[metric][key] = now
        if before:
            before_by_metric[metric][key] = before

    def current(metric: str) -> dict[int, int]:
        return now_by_metric.get(metric, {})

    per_sector = {}
    for metric in SECTOR_METRICS:
        values = current(metric)
        per_sector[metric] = suppress_partition({t.id: values.get(t.id, 0) for t in ordered})
    totals = {metric: cell(sum(current(metric).values())) for metric in TOTAL_METRICS}
    for metric, partition in per_sector.items():
        totals[metric] = partition.total

    themes_current = current("theme_threads")
    themes_previous = before_by_metric.get("theme_threads", {})
    theme_signals = current("theme_signals")
    tags = _terms(Tag, set(themes_current) | set(themes_previous) | set(theme_signals))
    themes = []
    for tag in tags.values():
        now_cell = cell(themes_current.get(tag.id, 0))
        before_cell = cell(themes_previous.get(tag.id, 0))
        themes.append(
            ThemeRow(
                tag,
                now_cell,
                before_cell,
                change(now_cell, before_cell),
                cell(theme_signals.get(tag.id, 0)),
            )
        )
    themes.sort(key=lambda row: (-(row.current.value or 0), row.theme.label))
    by_sector = {row.sector_id: row for row in counts}
    return RegionFigures(
        region=region,
        period=period,
        refreshed_at=max((row.refreshed_at for row in counts), default=None),
        sectors=ordered,
        members=suppress_partition(
            {t.id: by_sector[t.id].members if t.id in by_sector else 0 for t in ordered}
        ),
        active_members=suppress_partition(
            {t.id: by_sector[t.id].active_members if t.id in by_sector else 0 for t in ordered}
        ),
        per_sector=per_sector,
        totals=totals,
        median_answer_hours=median_answer_hours(current("answer_seconds")),
        themes=themes,
        item_reads={k: n for k, n in current("kb_reads").items() if not cell(n).is_suppressed},
    )


def most_read_items(reads: dict[int, int]) -> list[ReadRow]:
    """The TOP_ITEMS most read items (still published), most read first. Counts under
    five are left out rather than shown as "< 5": the title of an item that one to four
    members of a region read could point at them. One query, none without reads."""
    shown = {item_id: n for item_id, n in reads.items() if not cell(n).is_suppressed}
    if not shown:
        return []
    found = db.session.execute(
        select(KnowledgeItem.id, KnowledgeItem.slug, KnowledgeItem.title).where(
            KnowledgeItem.id.in_(shown), KnowledgeItem.status == "published"
        )
    ).all()
    rows = [ReadRow(id_, slug, title, cell(shown[id_])) for id_, slug, title in found]
    rows.sort(key=lambda row: (-(row.reads.value or 0), row.title, row.item_id))
    return rows[:TOP_ITEMS]


def national_rows(period: Period) -> list[RegionRow]:
    """One row per region: members, active members, questions, meetings, signals.

    No national total is shown, so a region's figure cannot be worked out from it and
    the others; each cell is suppressed on its own.
    """
    regions = list(db.session.scalars(select(Region).order_by(Region.position)))
    sums = _sums(None, period, ("questions", "events_held", "signals"))
    per_region: dict[tuple[int, str], int] = defaultdict(int)
    for (region, metric, _key), (now, _before) in sums.items():
        per_region[(region, metric)] += now
    members: dict[int, tuple[int, int]] = {
        region: (int(total or 0), int(active or 0))
        for region, total, active in db.session.execute(
            select(
                MemberCount.region_id,
                func.sum(MemberCount.members),
                func.sum(MemberCount.active_members),
            ).group_by(MemberCount.region_id)
        )
    }
    return [
        RegionRow(
            region=RegionRef.of(region),
            members=cell(members.get(region.id, (0, 0))[0]),
            active_members=cell(members.get(region.id, (0, 0))[1]),
            questions=cell(per_region[(region.id, "questions")]),
            events_held=cell(per_region[(region.id, "events_held")]),
            signals=cell(per_region[(region.id, "signals")]),
        )
        for region in regions
    ]


def region_for_page(slug: str, user) -> tuple[Region, str | None, frozenset[int]] | None:
    """The region, the rollups' refresh stamp (`insight.cache`) and {the region} when
    `user` coordinates its regional group: what a region page needs before its figures,
    in one query (the policies only ask whether this region is coordinated)."""
    if user.is_authenticated:
        found = db.session.execute(
            _region_statement(True), {"slug": slug, "user_id": user.id}
        ).first()
    else:
        found = db.session.execute(_region_statement(False), {"slug": slug}).first()
    if found is None:
        return None
    region, stamp, is_coordinator = found
    return region, stamp, frozenset({region.id}) if is_coordinator else frozenset()


@cache
def _region_statement(for_member: bool):
    """Built once: the slug and the member are bound parameters."""
    coordinates = (
        _coordinated_regions(bindparam("user_id")).where(Group.region_id == Region.id).exists()
        if for_member
        else literal(False)
    )
    return select(Region, refresh_stamp_column(), coordinates).where(
        Region.key == bindparam("slug")
    )


def _coordinated_regions(user_id):
    return (
        select(Group.region_id)
        .join(Membership, Membership.group_id == Group.id)
        .where(
            Membership.user_id == user_id,
            Membership.role == "coordinator",
            Membership.status == "active",
            Group.kind == "regional",
            Group.region_id.is_not(None),
        )
    )


def overview_state(user) -> tuple[str | None, frozenset[int]]:
    """The rollups' refresh stamp and the regions whose regional group `user`
    coordinates: what the national overview needs besides its cached figures, in one
    statement built once."""
    if not user.is_authenticated:
        return db.session.scalar(_overview_statement(False)), frozenset()
    stamp, ids = db.session.execute(_overview_statement(True), {"user_id": user.id}).one()
    return stamp, frozenset(parse_ids(ids))


@cache
def _overview_statement(for_member: bool):
    if not for_member:
        return select(refresh_stamp_column())
    regions = _coordinated_regions(bindparam("user_id")).subquery()
    return select(refresh_stamp_column(), select(id_list(regions.c.region_id)).scalar_subquery())


@dataclass(frozen=True)
class SignalRow:
    """A signal as a coordinator sees it: the sentence, when, and the thread only when
    the coordinator may read it."""

    note: str
    created_at: datetime
    thread_id: int | None
    thread_title: str | None


def region_signals(region_id: int, readable_group_ids, limit: int = 200) -> list[SignalRow]:
    """The region's signals, newest first, for its coordinators (no member names)."""
    readable = Thread.group_id.in_(readable_group_ids)
    rows = db.session.execute(
        select(Signal.note, Signal.created_at, Thread.id, Thread.title, readable)
        .join(Thread, Thread.id == Signal.thread_id)
        .where(
            Signal.region_id == region_id, Thread.hidden_at.is_(None), Thread.deleted_at.is_(None)
        )
        .order_by(Signal.created_at.desc(), Signal.id.desc())
        .limit(limit)
    )
    return [
        SignalRow(note, created, thread_id if can_read else None, title if can_read else None)
        for note, created, thread_id, title, can_read in rows
    ]


def signal_of(thread_id: int, user_id: int) -> Signal | None:
    return db.session.scalar(
        select(Signal).where(Signal.thread_id == thread_id, Signal.user_id == user_id)
    )
