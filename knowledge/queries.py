"""Read side of the kennisbank: the filtered list with facet counts, one item with
what links to it, the editors' work queue, and versions.

Full-text search goes through the site's search index. The search feature sits above
this one, so it registers its matcher at start-up (`register_text_search`); without it
the list falls back to a plain substring match on title and summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Select, String, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, load_only, selectinload

from core.extensions import db
from core.taxonomy import Region, Sector, Tag, TermLabel, term_labels
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


@dataclass
class Facet:
    name: str
    options: list[tuple[str, str, int, bool]] = field(default_factory=list)  # value, label, n, on


@dataclass
class ItemPage:
    items: list[KnowledgeItem]
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


def _text_condition(q: str):
    matcher = _text_search[0] if _text_search else None
    if matcher is not None:
        # Matched once and reused by the list, its count and every facet count.
        return KnowledgeItem.id.in_(list(db.session.scalars(matcher(q))))
    pattern = f"%{q.lower()}%"
    return or_(
        func.lower(KnowledgeItem.title).like(pattern),
        func.lower(KnowledgeItem.summary).like(pattern),
    )


def _conditions(user, filters: ItemFilters, skip: str | None = None, text=None) -> list:
    c = [readable_condition(user)]
    if text is not None:
        c.append(text)
    if filters.kind and skip != "kind":
        c.append(KnowledgeItem.kind == filters.kind)
    if filters.level and skip != "level":
        c.append(KnowledgeItem.evidence_level == filters.level)
    if filters.approach and skip != "approach":
        c.append(KnowledgeItem.approach == filters.approach)
    links = (
        ("theme", item_tags.c.tag_id, item_tags, filters.theme_id),
        ("sector", item_sectors.c.sector_id, item_sectors, filters.sector_id),
        ("region", item_regions.c.region_id, item_regions, filters.region_id),
    )
    for name, column, table, value in links:
        if value and skip != name:
            c.append(KnowledgeItem.id.in_(select(table.c.item_id).where(column == value)))
    return c


def _count_by(user, filters: ItemFilters, text, name: str, column, table=None):
    """Counts per value of one facet, given every other filter (as text, for the union)."""
    value = cast(column, String).label("value")
    stmt = select(literal(name).label("facet"), value, func.count(KnowledgeItem.id.distinct()))
    if table is not None:
        stmt = stmt.select_from(KnowledgeItem).join(table, table.c.item_id == KnowledgeItem.id)
    return stmt.where(*_conditions(user, filters, skip=name, text=text)).group_by(column)


def _facet_counts(user, filters: ItemFilters, text) -> dict[str, list[tuple]]:
    """All six facets' counts in one statement."""
    parts = (
        _count_by(user, filters, text, "kind", KnowledgeItem.kind),
        _count_by(user, filters, text, "level", KnowledgeItem.evidence_level),
        _count_by(user, filters, text, "approach", KnowledgeItem.approach),
        _count_by(user, filters, text, "theme", item_tags.c.tag_id, item_tags),
        _count_by(user, filters, text, "sector", item_sectors.c.sector_id, item_sectors),
        _count_by(user, filters, text, "region", item_regions.c.region_id, item_regions),
    )
    facets: dict[str, list[tuple]] = {name: [] for name in FACETS}
    for facet, value, count in db.session.execute(union_all(*parts)):
        if value is not None:
            facets[facet].append(
                (value if facet in {"kind", "level", "approach"} else int(value), count)
            )
    return facets


def readable_items(user, filters: ItemFilters) -> Select:
    """The items `user` may read that match every filter, as an unordered select: the
    list's rows for a caller that pages itself (the JSON API uses keyset pages)."""
    text = _text_condition(filters.q) if filters.q else None
    return select(KnowledgeItem).where(*_conditions(user, filters, text=text))


def list_items(user, filters: ItemFilters, page: int = 1) -> ItemPage:
    """One page of the items `user` may read that match every filter, and for each
    facet the counts per value given the other filters (so the facets combine).
    Three queries (four with a text search), whatever the number of items."""
    page = min(max(page, 1), MAX_PAGE)
    text = _text_condition(filters.q) if filters.q else None
    where = _conditions(user, filters, text=text)
    total = db.session.scalar(select(func.count(KnowledgeItem.id)).where(*where)) or 0
    items = list(
        db.session.scalars(
            select(KnowledgeItem)
            .where(*where)
            .options(
                # What a list row shows: not the bodies and intervention texts.
                load_only(
                    KnowledgeItem.slug,
                    KnowledgeItem.kind,
                    KnowledgeItem.status,
                    KnowledgeItem.title,
                    KnowledgeItem.summary,
                    KnowledgeItem.is_members_only,
                    KnowledgeItem.evidence_level,
                    KnowledgeItem.published_at,
                ),
                selectinload(KnowledgeItem.themes),
            )
            .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    facets = _facet_counts(user, filters, text)
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
        name: sorted(term_labels(model).values(), key=lambda term: term.position)
        for name, model in (("theme", Tag), ("sector", Sector), ("region", Region))
    }


def build_facets(page: ItemPage, filters: ItemFilters, terms: dict, labels: dict) -> list[Facet]:
    """Facets for the template: only values with items (or the one selected)."""
    facets = []
    chosen = {
        "kind": filters.kind,
        "level": filters.level,
        "approach": filters.approach,
        "theme": filters.theme_id,
        "sector": filters.sector_id,
        "region": filters.region_id,
    }
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
