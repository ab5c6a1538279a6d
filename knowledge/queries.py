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
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.taxonomy import Region, Sector, Tag
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
            .options(selectinload(KnowledgeItem.themes))
            .order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    facets = _facet_counts(user, filters, text)
    return ItemPage(items=items, total=total, page=page, facets=facets)


def facet_terms() -> dict[str, list]:
    """The taxonomy terms the facets are labelled with (three small queries)."""
    return {
        "theme": list(db.session.scalars(select(Tag).order_by(Tag.position))),
        "sector": list(db.session.scalars(select(Sector).order_by(Sector.position))),
        "region": list(db.session.scalars(select(Region).order_by(Region.position))),
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


def get_item_by_slug(slug: str) -> tuple[KnowledgeItem | None, bool]:
    """The item and whether `slug` is an old one (the caller redirects)."""
    item = db.session.scalar(
        select(KnowledgeItem)
        .where(KnowledgeItem.slug == slug)
        .options(
            selectinload(KnowledgeItem.themes),
            selectinload(KnowledgeItem.sectors),
            selectinload(KnowledgeItem.regions),
            selectinload(KnowledgeItem.authors),
        )
    )
    if item is not None:
        return item, False
    item = db.session.scalar(
        select(KnowledgeItem)
        .join(KnowledgeSlugRedirect, KnowledgeSlugRedirect.item_id == KnowledgeItem.id)
        .where(KnowledgeSlugRedirect.slug == slug)
    )
    return item, item is not None


def related_items(user, item: KnowledgeItem, limit: int = 5) -> list[KnowledgeItem]:
    """Other readable items sharing the most themes with this one."""
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
    """The threads and meetings that link to the item, as far as `user` may read them."""
    from events.models import Event
    from forum.models import Post, Thread
    from groups.queries import readable_group_ids

    readable = readable_group_ids(user)
    refs = KnowledgeReference
    threads = db.session.execute(
        select(Thread.id, Thread.title)
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
        .order_by(Thread.id.desc())
        .limit(20)
    ).all()
    events = db.session.execute(
        select(Event.id, Event.title)
        .join(refs, (refs.source_id == Event.id) & (refs.source_type == "event"))
        .where(refs.item_id == item.id, Event.group_id.in_(readable), Event.status != "cancelled")
        .order_by(Event.starts_at.desc())
        .limit(20)
    ).all()
    return [Reference("thread", t.id, t.title, f"/threads/{t.id}") for t in threads] + [
        Reference("event", e.id, e.title, f"/events/{e.id}") for e in events
    ]


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
