"""Demo content for `flask seed demo`: two kennisredacteuren and a kennisbank of fourteen
items across all kinds (idempotent: items that exist are left alone)."""

from __future__ import annotations

from sqlalchemy import select

from auth.services import create_user, find_user_by_email
from core.extensions import db
from core.taxonomy import Function, Region, Sector, Tag
from knowledge import services
from knowledge.demo_items import ITEMS, DemoItem
from knowledge.models import KnowledgeItem

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - published on purpose, demo installs only
EDITORS = (
    ("redactie", "Noor de Wit", "Kennisredacteur, Nederlands Jeugdinstituut (demo)."),
    ("kennis", "Daan Visser", "Kennisredacteur, Expertise-unit Sociale Stabiliteit (demo)."),
)


def _ids(model) -> dict[str, int]:
    return {t.key: t.id for t in db.session.scalars(select(model))}


def _ensure_editor(key: str, name: str, bio: str):
    email = f"{key}@demo.platformjep.nl"
    user = find_user_by_email(email)
    if user is None:
        user, _ = create_user(email, name, "editor", DEMO_PASSWORD)
        user.organisation = "Platform JEP"
        user.sector_id = _ids(Sector).get("kennisinstituut")
        user.function_id = _ids(Function).get("onderzoeker")
        user.region_id = _ids(Region).get("landelijk")
        user.bio = bio
        db.session.flush()
    return user


def _data(spec: DemoItem, tags, sectors, regions) -> services.ItemData:
    return services.ItemData(
        title=spec.title,
        kind=spec.kind,
        slug=spec.slug,
        summary=spec.summary,
        body=spec.body,
        theme_ids=tuple(tags[k] for k in spec.themes if k in tags),
        sector_ids=tuple(sectors[k] for k in spec.sectors if k in sectors),
        region_ids=tuple(regions[k] for k in spec.regions if k in regions),
        is_members_only=spec.members_only,
        **spec.fields,
    )


def seed_demo() -> list[tuple[str, str, str]]:
    """Add the editors and the items (flushes only)."""
    writer, reviewer = (_ensure_editor(*spec) for spec in EDITORS)
    tags, sectors, regions = _ids(Tag), _ids(Sector), _ids(Region)
    existing = set(db.session.scalars(select(KnowledgeItem.slug)))
    # Linked items first, so `[[kennisbank:…]]` cards find their target.
    for spec in sorted(ITEMS, key=lambda s: "[[" in s.body):
        if spec.slug in existing:
            continue
        item = services.create_item(
            writer, _data(spec, tags, sectors, regions), privacy_checked=True
        )
        if spec.status in {"review", "published"}:
            services.submit_item(item, writer)
        if spec.status == "published":
            services.publish_item(item, reviewer)
    db.session.flush()
    return [
        (f"{key}@demo.platformjep.nl", DEMO_PASSWORD, "editor (kennisredacteur)")
        for key, _name, _bio in EDITORS
    ]
