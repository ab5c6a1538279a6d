"""Kennisbank operations: writing items (every save a version), the status workflow
draft → review → published → archived with four eyes, and stable slugs.

Services take models and plain values, flush, and never commit: the view owns the
transaction. Every status change is written to the audit log; every change fires
`signals.knowledge_item_changed` so search can reindex the item.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from core import signals
from core.audit import record_audit
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Region, Sector, Tag
from core.text import clean_text, render_markdown
from forum.services import check_privacy
from knowledge import policies
from knowledge.models import (
    APPROACHES,
    EVIDENCE_LEVELS,
    INTERVENTION_FIELDS,
    KINDS,
    KnowledgeConsent,
    KnowledgeItem,
    KnowledgeSlugRedirect,
    KnowledgeVersion,
)

SLUG_MAX = 80
TITLE_MAX = 200
SUMMARY_MAX = 1000
BODY_MAX = 100_000
FIELD_MAX = 10_000
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Paths under /kennisbank/ that are pages, not items.
RESERVED_SLUGS = frozenset({"new", "redactie", "toestemming", "item", "themas"})


class KnowledgeError(Exception):
    """An operation that cannot be done; `str(exc)` is a message for the editor."""


class ConsentMissing(KnowledgeError):
    """Quoted authors have not (all) consented, or refused and their text is still in."""


class SlugTaken(KnowledgeError):
    """Another item uses (or used) this slug."""


@dataclass(frozen=True)
class ItemData:
    """What an editor fills in. Text is raw; the service cleans and renders it."""

    title: str
    kind: str
    summary: str = ""
    body: str = ""
    theme_ids: tuple[int, ...] = ()
    sector_ids: tuple[int, ...] = ()
    region_ids: tuple[int, ...] = ()
    is_members_only: bool = False
    evidence_level: str | None = None
    approach: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    goal: str = ""
    target_group: str = ""
    method: str = ""
    rationale: str = ""
    delivery: str = ""
    provider: str = ""
    costs: str = ""
    sources: str = ""
    last_reviewed_on: date | None = None
    slug: str | None = None


def slugify(value: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Wat werkt bij Exit?" → "wat-werkt-bij-exit")."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return value[:SLUG_MAX].rstrip("-") or "item"


def _slug_in_use(slug: str, item_id: int | None) -> bool:
    if slug in RESERVED_SLUGS:
        return True
    owner = db.session.scalar(select(KnowledgeItem.id).where(KnowledgeItem.slug == slug))
    if owner is not None and owner != item_id:
        return True
    redirect_owner = db.session.scalar(
        select(KnowledgeSlugRedirect.item_id).where(KnowledgeSlugRedirect.slug == slug)
    )
    return redirect_owner is not None and redirect_owner != item_id


def _free_slug(title: str) -> str:
    base = slugify(title)
    slug, n = base, 2
    while _slug_in_use(slug, None):
        suffix = f"-{n}"
        slug = base[: SLUG_MAX - len(suffix)] + suffix
        n += 1
    return slug


def _terms(model, ids: Iterable[int]) -> list:
    wanted = {int(i) for i in ids}
    if not wanted:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(wanted))))


def _clean_fields(data: ItemData) -> dict:
    """Validated, cleaned values; raises KnowledgeError with a readable message."""
    if data.kind not in KINDS:
        raise KnowledgeError("unknown kind")
    title = " ".join(clean_text(data.title or "").split())[:TITLE_MAX]
    if not title:
        raise KnowledgeError("empty title")
    values = {
        "title": title,
        "kind": data.kind,
        "summary": clean_text(data.summary or "").strip()[:SUMMARY_MAX],
        "body_source": clean_text(data.body or "").strip()[:BODY_MAX],
        "is_members_only": bool(data.is_members_only),
        "last_reviewed_on": data.last_reviewed_on,
    }
    is_intervention = data.kind == "interventie"
    for name in INTERVENTION_FIELDS:
        raw = getattr(data, name) if is_intervention else ""
        values[name] = clean_text(raw or "").strip()[:FIELD_MAX]
    level = data.evidence_level if is_intervention else None
    approach = data.approach if is_intervention else None
    if level not in (None, *EVIDENCE_LEVELS) or approach not in (None, *APPROACHES):
        raise KnowledgeError("unknown evidence level or approach")
    values["evidence_level"] = level or ("niet-beoordeeld" if is_intervention else None)
    values["approach"] = approach or None
    age_min, age_max = (data.age_min, data.age_max) if is_intervention else (None, None)
    if age_min is not None and age_max is not None and age_min > age_max:
        age_min, age_max = age_max, age_min
    values["age_min"], values["age_max"] = age_min, age_max
    return values


def _privacy_text(values: dict) -> str:
    parts = [values["summary"], values["body_source"]]
    parts += [values[name] for name in INTERVENTION_FIELDS]
    return "\n\n".join(p for p in parts if p)


def privacy_text_of(data: ItemData) -> str:
    """The text the privacy guard scans for `data` (for showing where it found something)."""
    try:
        return _privacy_text(_clean_fields(data))
    except KnowledgeError:
        return ""


def snapshot(item: KnowledgeItem) -> dict:
    """The item's content as plain values, for a version row and the diff."""
    fields = {name: getattr(item, name) for name in INTERVENTION_FIELDS}
    fields.update(
        kind=item.kind,
        slug=item.slug,
        evidence_level=item.evidence_level,
        approach=item.approach,
        age_min=item.age_min,
        age_max=item.age_max,
        is_members_only=item.is_members_only,
        last_reviewed_on=item.last_reviewed_on.isoformat() if item.last_reviewed_on else None,
        themes=[t.key for t in item.themes],
        sectors=[s.key for s in item.sectors],
        regions=[r.key for r in item.regions],
    )
    return fields


def _add_version(item: KnowledgeItem, editor) -> KnowledgeVersion:
    version = KnowledgeVersion(
        item_id=item.id,
        number=item.version,
        editor_id=getattr(editor, "id", None),
        title=item.title,
        summary=item.summary,
        body_source=item.body_source,
        fields=snapshot(item),
    )
    db.session.add(version)
    return version


def _apply(item: KnowledgeItem, values: dict, data: ItemData) -> None:
    for name, value in values.items():
        setattr(item, name, value)
    item.body_html = str(render_markdown(values["body_source"]))
    item.themes = _terms(Tag, data.theme_ids)
    item.sectors = _terms(Sector, data.sector_ids)
    item.regions = _terms(Region, data.region_ids)


def _add_author(item: KnowledgeItem, user) -> None:
    if user is not None and all(a.id != user.id for a in item.authors):
        item.authors.append(user)


def create_item(
    author, data: ItemData, *, privacy_checked: bool = False, now: datetime | None = None
) -> KnowledgeItem:
    """A new draft (version 1) written by an editor. Raises PrivacyGuardError or
    KnowledgeError."""
    values = _clean_fields(data)
    override = check_privacy(
        values["title"], _privacy_text(values), privacy_checked=privacy_checked
    )
    now = now or utcnow()
    slug = data.slug or _free_slug(values["title"])
    if data.slug:
        _check_slug(slug, None)
    item = KnowledgeItem(
        slug=slug,
        status="draft",
        created_by_id=author.id,
        changed_by_id=author.id,
        created_at=now,
        updated_at=now,
        version=1,
        privacy_override=override,
    )
    _apply(item, values, data)
    _add_author(item, author)
    db.session.add(item)
    db.session.flush()
    _add_version(item, author)
    record_audit(author, "knowledge.create", "knowledge_item", item.id, details={"slug": slug})
    db.session.flush()
    signals.knowledge_item_changed.send(item=item, action="create", actor=author)
    return item


def _check_slug(slug: str, item_id: int | None) -> None:
    if not _SLUG.match(slug) or len(slug) > SLUG_MAX:
        raise KnowledgeError("invalid slug")
    if _slug_in_use(slug, item_id):
        raise SlugTaken("slug taken")


def update_item(
    item: KnowledgeItem,
    editor,
    data: ItemData,
    *,
    privacy_checked: bool = False,
    now: datetime | None = None,
) -> KnowledgeItem:
    """Save a new version. A changed slug leaves a redirect behind. An item in review or
    published goes (back) to review: the editor who changed it may not publish it."""
    if not policies.can_edit_item(editor, item):
        raise KnowledgeError("not editable")
    values = _clean_fields(data)
    override = check_privacy(
        values["title"], _privacy_text(values), privacy_checked=privacy_checked
    )
    new_slug = (data.slug or item.slug).strip().lower()
    if new_slug != item.slug:
        _check_slug(new_slug, item.id)
    before = (item.title, item.summary, item.body_source, snapshot(item))
    old_status = item.status
    _apply(item, values, data)
    if new_slug != item.slug:
        _rename(item, new_slug, editor)
    if before == (item.title, item.summary, item.body_source, snapshot(item)):
        return item  # nothing changed: no new version
    now = now or utcnow()
    item.version += 1
    item.updated_at = now
    item.changed_by_id = editor.id
    item.privacy_override = item.privacy_override or override
    _add_author(item, editor)
    if item.status == "published":
        item.status = "review"
    db.session.flush()
    _add_version(item, editor)
    details = {"version": item.version}
    if old_status != item.status:
        details.update(status_from=old_status, status_to=item.status)
    record_audit(editor, "knowledge.update", "knowledge_item", item.id, details=details)
    db.session.flush()
    signals.knowledge_item_changed.send(item=item, action="update", actor=editor)
    return item


def _rename(item: KnowledgeItem, new_slug: str, editor) -> None:
    old_slug = item.slug
    existing = db.session.scalar(
        select(KnowledgeSlugRedirect).where(KnowledgeSlugRedirect.slug == new_slug)
    )
    if existing is not None:  # taking back one of its own earlier slugs
        db.session.delete(existing)
    item.slug = new_slug
    db.session.add(KnowledgeSlugRedirect(slug=old_slug, item_id=item.id))
    db.session.flush()
    record_audit(
        editor, "knowledge.rename", "knowledge_item", item.id,
        details={"from": old_slug, "to": new_slug},
    )  # fmt: skip


def _set_status(item: KnowledgeItem, actor, status: str, action: str, reason: str = "") -> None:
    old = item.status
    item.status = status
    db.session.flush()
    record_audit(
        actor,
        f"knowledge.{action}",
        "knowledge_item",
        item.id,
        reason=reason,
        details={"status_from": old, "status_to": status, "version": item.version},
    )
    signals.knowledge_item_changed.send(item=item, action=action, actor=actor)


def submit_item(item: KnowledgeItem, editor) -> None:
    """Draft → review: ask a second editor to look at it."""
    if not policies.can_submit_item(editor, item):
        raise KnowledgeError("cannot submit")
    if item.changed_by_id is None:
        item.changed_by_id = editor.id
    _set_status(item, editor, "review", "submit")


def reject_item(item: KnowledgeItem, editor, reason: str = "") -> None:
    """Review → draft, with the reviewer's remark in the audit log."""
    if not policies.can_reject_item(editor, item):
        raise KnowledgeError("cannot reject")
    _set_status(item, editor, "draft", "reject", clean_text(reason or "").strip()[:1000])


def blocking_consents(item: KnowledgeItem) -> list[KnowledgeConsent]:
    """Quoted authors who have not consented (pending or refused, text still in)."""
    return list(
        db.session.scalars(
            select(KnowledgeConsent).where(
                KnowledgeConsent.item_id == item.id,
                KnowledgeConsent.status.in_(("pending", "refused")),
            )
        )
    )


def publish_item(item: KnowledgeItem, publisher, *, now: datetime | None = None) -> None:
    """Review → published by a second editor (or an admin, from draft too). Raises
    ConsentMissing while a quoted author has not consented."""
    if not policies.can_publish_item(publisher, item):
        raise KnowledgeError("four eyes")
    if blocking_consents(item):
        raise ConsentMissing("consent missing")
    check_privacy(item.title, item.body_source, privacy_checked=item.privacy_override)
    now = now or utcnow()
    item.published_at = now
    item.published_by_id = publisher.id
    item.last_reviewed_on = now.date()
    _set_status(item, publisher, "published", "publish")


def archive_item(item: KnowledgeItem, editor) -> None:
    """Published → archived: no longer listed or readable outside the editors."""
    if not policies.can_archive_item(editor, item):
        raise KnowledgeError("cannot archive")
    _set_status(item, editor, "archived", "archive")


def item_data_from(item: KnowledgeItem, **changes) -> ItemData:
    """The item's current content as ItemData (to change one thing, e.g. in the demo)."""
    values = {name: getattr(item, name) for name in INTERVENTION_FIELDS}
    values.update(
        title=item.title,
        kind=item.kind,
        summary=item.summary,
        body=item.body_source,
        theme_ids=tuple(t.id for t in item.themes),
        sector_ids=tuple(s.id for s in item.sectors),
        region_ids=tuple(r.id for r in item.regions),
        is_members_only=item.is_members_only,
        evidence_level=item.evidence_level,
        approach=item.approach,
        age_min=item.age_min,
        age_max=item.age_max,
        last_reviewed_on=item.last_reviewed_on,
        slug=item.slug,
    )
    values.update(changes)
    return ItemData(**values)


def toggle_theme_follow(user, tag) -> bool:
    """Follow a theme, or stop following it; returns whether the member follows it now."""
    from knowledge.models import KnowledgeThemeFollow

    existing = db.session.scalar(
        select(KnowledgeThemeFollow).where(
            KnowledgeThemeFollow.user_id == user.id, KnowledgeThemeFollow.tag_id == tag.id
        )
    )
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    db.session.add(KnowledgeThemeFollow(user_id=user.id, tag_id=tag.id))
    db.session.flush()
    return True
