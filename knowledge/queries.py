"""Read side of the kennisbank: the filtered list with facet counts, one item with
what links to it, the editors' work queue, and versions.

Full-text search goes through the site's search index. The search feature sits above
this one, so it registers its matcher at start-up (`register_text_search`); without it
the list falls back to a plain substring match on title and summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, String, bindparam, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from core.db import id_list, parse_ids
from core.extensions import db
from core.taxonomy import Region, Sector, Tag, TermLabel, ordered_term_labels, term_labels
from knowledge import policies
from knowledge.models import (
    APPROACHES,
    EVIDENCE_LEVELS,
    KINDS,
    KnowledgeItem,
    KnowledgeReference,
    KnowledgeSlugRedirect,
    KnowledgeThemeFollow,
    KnowledgeVersion,
    item_regions,
    item_sectors,
    item_tags,
)

FACETS = ("kind", "level", "approach", "theme", "sector", "region")
PER_PAGE = 20
MAX_PAGE = 100
QUERY_MAX = 200

#: (raw query) -> a select of matching knowledge item ids, registered by search.
TextSearch = Callable[[str], "Select | None"]
_text_search: list[TextSearch] = []


def register_text_search(matcher: TextSearch) -> None:
    """The search feature registers its full-text matcher here (once per process)."""
    _text_search[:] = [matcher]


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str | None = None
    theme_id: int | None = None
    sector_id: int | None = None
    level: str | None = None
    approach: str | None = None
    region_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.kind
            or self.theme_id
            or self.sector_id
            or self.level
            or self.approach
            or self.region_id
        )

    @property
    def by_facet(self) -> dict[str, object]:
        """The chosen value of each facet (None where none is chosen), by facet name."""
        return {
            "kind": self.kind,
            "level": self.level,
            "approach": self.approach,
            "theme": self.theme_id,
            "sector": self.sector_id,
            "region": self.region_id,
        }


@dataclass
class Facet:
    name: str
    options: list[tuple[str, str, int, bool]] = field(default_factory=list)  # value, label, n, on


@dataclass
class ItemPage:
    items: list[ListedItem]
    total: int
    page: int
    facets: dict[str, list[tuple[object, int]]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def readable_condition(user):
    """SQL condition for the items `user` may find in lists and search (published,
    members-only ones only for members). Editors see drafts in their own queue only."""
    condition = KnowledgeItem.status == "published"
    if not (getattr(user, "is_authenticated", False) and user.is_active_member):
        condition = condition & KnowledgeItem.is_members_only.is_(False)
    return condition


def _text_values(q: str) -> tuple[str, dict]:
    """How the text filter is applied (its shape) and the values it binds: the ids the
    search feature's matcher finds (matched once, reused by every part of the page), or
    a substring of title and summary without it."""
    matcher = _text_search[0] if _text_search else None
    if matcher is not None:
        return "ids", {"text_ids": list(db.session.scalars(matcher(q)))}
    return "pattern", {"pattern": f"%{q.lower()}%"}


@dataclass(frozen=True)
class _Shape:
    """What a list's statements depend on besides bound values: whether members-only
    items may be listed, how text is matched, and which facets are chosen."""

    members: bool
    text: str | None
    chosen: tuple[str, ...]


_COLUMNS = {
    "kind": KnowledgeItem.kind,
    "level": KnowledgeItem.evidence_level,
    "approach": KnowledgeItem.approach,
}
_LINKS = {
    "theme": (item_tags, item_tags.c.tag_id),
    "sector": (item_sectors, item_sectors.c.sector_id),
    "region": (item_regions, item_regions.c.region_id),
}


def _shape_and_values(user, filters: ItemFilters) -> tuple[_Shape, dict]:
    values = {name: value for name, value in filters.by_facet.items() if value}
    text = None
    if filters.q:
        text, text_values = _text_values(filters.q)
        values.update(text_values)
    members = bool(getattr(user, "is_authenticated", False) and user.is_active_member)
    return _Shape(members, text, tuple(name for name in FACETS if name in values)), values


def _conditions(shape: _Shape, skip: str | None = None) -> list:
    """The conditions of `shape` with bound parameters (`readable_condition`, the text
    and every chosen facet but `skip`)."""
    c = [KnowledgeItem.status == "published"]
    if not shape.members:
        c.append(KnowledgeItem.is_members_only.is_(False))
    if shape.text == "ids":
        c.append(KnowledgeItem.id.in_(bindparam("text_ids", expanding=True)))
    elif shape.text == "pattern":
        pattern = bindparam("pattern")
        c.append(
            or_(
                func.lower(KnowledgeItem.title).like(pattern),
                func.lower(KnowledgeItem.summary).like(pattern),
            )
        )
    for name in shape.chosen:
        if name == skip:
            continue
        if name in _COLUMNS:
            c.append(_COLUMNS[name] == bindparam(name))
        else:
            table, column = _LINKS[name]
            c.append(KnowledgeItem.id.in_(select(table.c.item_id).where(column == bindparam(name))))
    return c


def _count_by(shape: _Shape, name: str):
    """Counts per value of one facet, given every other filter (as text, for the union)."""
    if name in _COLUMNS:
        column, table = _COLUMNS[name], None
    else:
        table, column = _LINKS[name]
    value = cast(column, String).label("value")
    stmt = select(literal(name).label("facet"), value, func.count(KnowledgeItem.id.distinct()))
    if table is not None:
        stmt = stmt.select_from(KnowledgeItem).join(table, table.c.item_id == KnowledgeItem.id)
    return stmt.where(*_conditions(shape, skip=name)).group_by(column)


@lru_cache(maxsize=512)
def _list_statements(shape: _Shape):
    """The list's two statements for `shape`, built once per process with bound
    parameters: one page of rows (with their themes' ids), and the number of matching
    items together with every facet's counts (a union)."""
    where = _conditions(shape)
    themes = (
        select(id_list(item_tags.c.tag_id))
        .where(item_tags.c.item_id == KnowledgeItem.id)
        .scalar_subquery()
    )
    rows = (
        select(*_LISTED_COLUMNS, themes)
        .where(*where)
        .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    total = select(
        literal("total").label("facet"),
        cast(null(), String).label("value"),
        func.count(KnowledgeItem.id),
    ).where(*where)
    counts = union_all(total, *(_count_by(shape, name) for name in FACETS))
    return rows, counts


def readable_items(user, filters: ItemFilters) -> Select:
    """The items `user` may read that match every filter, as an unordered select: the
    list's rows for a caller that pages itself (the JSON API uses keyset pages)."""
    shape, values = _shape_and_values(user, filters)
    return select(KnowledgeItem).where(*_conditions(shape)).params(values)


@dataclass(frozen=True, slots=True)
class ListedItem:
    """A row of the kennisbank list (plain values; the themes by id, named from the
    process's copy of the taxonomy)."""

    id: int
    slug: str
    kind: str
    status: str
    title: str
    summary: str | None
    is_members_only: bool
    evidence_level: str | None
    published_at: datetime | None
    theme_ids: tuple[int, ...]

    @property
    def themes(self) -> list[TermLabel]:
        labels = term_labels(Tag)
        return sorted(
            (labels[i] for i in self.theme_ids if i in labels), key=lambda term: term.position
        )


_LISTED_COLUMNS = (
    KnowledgeItem.id,
    KnowledgeItem.slug,
    KnowledgeItem.kind,
    KnowledgeItem.status,
    KnowledgeItem.title,
    KnowledgeItem.summary,
    KnowledgeItem.is_members_only,
    KnowledgeItem.evidence_level,
    KnowledgeItem.published_at,
)


def list_items(user, filters: ItemFilters, page: int = 1) -> ItemPage:
    """One page of the items `user` may read that match every filter, and for each
    facet the counts per value given the other filters (so the facets combine).
    Two statements (three with a text search), whatever the number of items."""
    page = min(max(page, 1), MAX_PAGE)
    shape, values = _shape_and_values(user, filters)
    rows, counts = _list_statements(shape)
    params = {**values, "limit": PER_PAGE, "offset": (page - 1) * PER_PAGE}
    items = [
        ListedItem(*row[:-1], theme_ids=tuple(parse_ids(row[-1])))
        for row in db.session.execute(rows, params)
    ]
    total = 0
    facets: dict[str, list[tuple]] = {name: [] for name in FACETS}
    for facet, value, count in db.session.execute(counts, values):
        if facet == "total":
            total = count
        elif value is not None:
            facets[facet].append(
                (value if facet in {"kind", "level", "approach"} else int(value), count)
            )
    return ItemPage(items=items, total=total, page=page, facets=facets)


def item_terms(item_id: int) -> dict[str, list[TermLabel]]:
    """The item's themes, sectors and regions, in their order (one query)."""
    links = (
        ("theme", Tag, item_tags, item_tags.c.tag_id),
        ("sector", Sector, item_sectors, item_sectors.c.sector_id),
        ("region", Region, item_regions, item_regions.c.region_id),
    )
    parts = [
        select(literal(name).label("facet"), m.id, m.key, m.name_nl, m.name_en, m.position)
        .join(table, column == m.id)
        .where(table.c.item_id == item_id)
        for name, m, table, column in links
    ]
    return _terms_by_facet(db.session.execute(union_all(*parts)).all())


def _terms_by_facet(rows) -> dict[str, list[TermLabel]]:
    terms: dict[str, list[TermLabel]] = {"theme": [], "sector": [], "region": []}
    for facet, id_, key, name_nl, name_en, position in sorted(rows, key=lambda r: r[5]):
        terms[facet].append(TermLabel(id_, key, name_nl, name_en, position))
    return terms


def facet_terms() -> dict[str, list[TermLabel]]:
    """The taxonomy terms the facets are labelled with, in their order (from the
    process's copy of the taxonomy, `core.taxonomy.term_labels`)."""
    return {
        name: ordered_term_labels(model)
        for name, model in (("theme", Tag), ("sector", Sector), ("region", Region))
    }


def build_facets(page: ItemPage, filters: ItemFilters, terms: dict, labels: dict) -> list[Facet]:
    """Facets for the template: only values with items (or the one selected)."""
    facets = []
    chosen = filters.by_facet
    ordered = {
        "kind": [(k, labels["kind"][k]) for k in KINDS],
        "level": [(k, labels["level"][k]) for k in EVIDENCE_LEVELS],
        "approach": [(k, labels["approach"][k]) for k in APPROACHES],
        **{name: [(t.id, t) for t in terms[name]] for name in ("theme", "sector", "region")},
    }
    keys = {"theme": "key", "sector": "key", "region": "key"}
    for name, values in ordered.items():
        counts = dict(page.facets[name])
        facet = Facet(name)
        for value, label in values:
            n = counts.get(value, 0)
            selected = chosen[name] == value
            if n or selected:
                param = getattr(label, keys[name]) if name in keys else value
                facet.options.append((param, str(label), n, selected))
        facets.append(facet)
    return facets


def get_item_by_slug(slug: str, *, with_terms: bool = True) -> tuple[KnowledgeItem | None, bool]:
    """The item and whether `slug` is an old one (the caller redirects). Without
    `with_terms` only the authors come along (the item page reads its themes, sectors
    and regions through `item_terms`)."""
    options = [joinedload(KnowledgeItem.authors)]
    if with_terms:
        options += [
            selectinload(KnowledgeItem.themes),
            selectinload(KnowledgeItem.sectors),
            selectinload(KnowledgeItem.regions),
        ]
    item = (
        db.session.scalars(
            select(KnowledgeItem).where(KnowledgeItem.slug == slug).options(*options)
        )
        .unique()
        .first()
    )
    if item is not None:
        return item, False
    item = db.session.scalar(
        select(KnowledgeItem)
        .join(KnowledgeSlugRedirect, KnowledgeSlugRedirect.item_id == KnowledgeItem.id)
        .where(KnowledgeSlugRedirect.slug == slug)
    )
    return item, item is not None


def related_items(
    user, item: KnowledgeItem, limit: int = 5, theme_ids: list[int] | None = None
) -> list[KnowledgeItem]:
    """Other readable items sharing the most themes with this one (`theme_ids`: the
    item's themes when the caller has them already)."""
    if theme_ids is None:
        theme_ids = [t.id for t in item.themes]
    if not theme_ids:
        return []
    shared = func.count(item_tags.c.tag_id)
    stmt = (
        select(KnowledgeItem)
        .join(item_tags, item_tags.c.item_id == KnowledgeItem.id)
        .where(item_tags.c.tag_id.in_(theme_ids), KnowledgeItem.id != item.id)
        .where(readable_condition(user))
        .group_by(KnowledgeItem.id)
        .order_by(shared.desc(), KnowledgeItem.published_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Reference:
    kind: str  # "thread" | "event"
    id: int
    title: str
    url: str


def references_for(user, item: KnowledgeItem) -> list[Reference]:
    """The threads and meetings that link to the item, as far as `user` may read them:
    the 20 newest of each, in one query."""
    from events.models import Event
    from forum.models import Post, Thread
    from groups.queries import readable_group_ids

    readable = readable_group_ids(user)
    refs = KnowledgeReference
    newest_thread = Thread.id.desc()
    threads = (
        select(
            literal("thread").label("kind"),
            Thread.id.label("id"),
            Thread.title.label("title"),
            func.row_number().over(order_by=newest_thread).label("position"),
        )
        .join(Post, Post.thread_id == Thread.id)
        .join(refs, (refs.source_id == Post.id) & (refs.source_type == "post"))
        .where(
            refs.item_id == item.id,
            Thread.group_id.in_(readable),
            Thread.hidden_at.is_(None),
            Thread.deleted_at.is_(None),
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
        )
        .group_by(Thread.id, Thread.title)
        .order_by(newest_thread)
        .limit(20)
        .subquery()
    )
    latest_event = (Event.starts_at.desc(), Event.id.desc())
    events = (
        select(
            literal("event").label("kind"),
            Event.id.label("id"),
            Event.title.label("title"),
            func.row_number().over(order_by=latest_event).label("position"),
        )
        .join(refs, (refs.source_id == Event.id) & (refs.source_type == "event"))
        .where(refs.item_id == item.id, Event.group_id.in_(readable), Event.status != "cancelled")
        .order_by(*latest_event)
        .limit(20)
        .subquery()
    )
    rows = db.session.execute(union_all(select(threads), select(events))).all()
    rows.sort(key=lambda row: (row.kind != "thread", row.position))
    return [Reference(row.kind, row.id, row.title, f"/{row.kind}s/{row.id}") for row in rows]


def editor_queue() -> dict[str, list[KnowledgeItem]]:
    """Drafts, items waiting for review and archived items, for the editors' page."""
    rows = db.session.scalars(
        select(KnowledgeItem)
        .where(KnowledgeItem.status.in_(("draft", "review", "archived")))
        .options(selectinload(KnowledgeItem.changed_by))
        .order_by(KnowledgeItem.updated_at.desc())
        .limit(300)
    )
    queue: dict[str, list[KnowledgeItem]] = {"review": [], "draft": [], "archived": []}
    for item in rows:
        queue[item.status].append(item)
    return queue


def versions_of(item: KnowledgeItem) -> list[KnowledgeVersion]:
    return list(
        db.session.scalars(
            select(KnowledgeVersion)
            .where(KnowledgeVersion.item_id == item.id)
            .options(selectinload(KnowledgeVersion.editor))
            .order_by(KnowledgeVersion.number.desc())
        )
    )


def followed_theme_ids(user) -> set[int]:
    if not policies.can_follow_theme(user):
        return set()
    return set(
        db.session.scalars(
            select(KnowledgeThemeFollow.tag_id).where(KnowledgeThemeFollow.user_id == user.id)
        )
    )
