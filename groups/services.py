"""Group operations. Services flush; the caller commits."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.taxonomy import Region
from groups.models import Group


def ensure_regional_groups() -> int:
    """One regional group (visibility `members`) per region; idempotent."""
    existing = set(db.session.scalars(select(Group.region_id).where(Group.kind == "regional")))
    created = 0
    for region in db.session.scalars(select(Region).order_by(Region.position)):
        if region.id in existing:
            continue
        db.session.add(
            Group(
                slug=f"regio-{region.key}",
                name=f"Regio {region.name_nl}",
                name_en=f"Region {region.name_en}",
                description=(
                    f"De regionale groep voor professionals in veiligheidsregio {region.name_nl}."
                ),
                kind="regional",
                visibility="members",
                region_id=region.id,
            )
        )
        created += 1
    db.session.flush()
    return len(existing) + created
