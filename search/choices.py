"""The search form's choices: the groups the member may read, the tags, the sectors.

One statement of plain rows for the three lists (they were three ORM queries, about
2 ms of a search page), with the labels picked in the viewer's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, String, literal, union_all

from core.extensions import db
from core.i18n import current_language
from core.taxonomy import Sector, Tag
from groups.models import Group
from groups.queries import readable_group_ids

_GROUPS, _TAGS, _SECTORS = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    key: str  # a group's slug, a tag's or sector's key: what the URL carries
    label: str


@dataclass(frozen=True)
class FilterChoices:
    groups: list[Choice]
    tags: list[Choice]
    sectors: list[Choice]


def _terms(kind: int, model):
    return db.select(
        literal(kind, Integer).label("kind"),
        model.id,
        model.key,
        model.name_nl,
        model.name_en,
        model.position,
        literal("", String).label("sort_name"),
    )


def filter_choices(user) -> FilterChoices:
    """Groups `user` may read (by name; the same rule as the search itself), then tags
    and sectors in their file order."""
    groups = db.select(
        literal(_GROUPS, Integer).label("kind"),
        Group.id,
        Group.slug.label("key"),
        Group.name.label("name_nl"),
        Group.name_en,
        literal(0, Integer).label("position"),
        Group.name.label("sort_name"),
    ).where(Group.id.in_(readable_group_ids(user)))
    stmt = union_all(groups, _terms(_TAGS, Tag), _terms(_SECTORS, Sector))
    rows = db.session.execute(stmt.order_by("kind", "position", "sort_name", "id")).all()
    english = current_language() == "en"
    lists: tuple[list[Choice], ...] = ([], [], [])
    for kind, id_, key, name, name_en, _position, _sort in rows:
        if kind == _GROUPS:  # Group.label: the English name when there is one
            label = name_en if english and name_en else name
        else:  # the taxonomy's label
            label = name_en if english else name
        lists[kind].append(Choice(id_, key, label))
    return FilterChoices(*lists)
