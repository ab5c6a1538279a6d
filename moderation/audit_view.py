"""Reading the audit log: translated action names and linked subjects.

The log stores codes (`member.suspend`, `user` 12) so that it stays stable across
languages and renames; this module turns them into what an admin reads. Features that
come after moderation add the names of their actions with `register_labels` at start-up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from auth.models import User
from core.audit import AuditEvent
from core.extensions import db
from core.i18n import lazy_gettext as _l
from events.models import Event
from forum.models import Post, Thread
from groups.models import Group

ACTION_LABELS: dict[str, object] = {
    "account.delete": _l("Account verwijderd"),
    "account.2fa_enable": _l("Tweestapsverificatie aangezet"),
    "account.2fa_disable": _l("Tweestapsverificatie uitgezet"),
    "member.approve": _l("Lid goedgekeurd"),
    "member.reject": _l("Aanmelding afgewezen"),
    "member.role": _l("Rol gewijzigd"),
    "member.suspend": _l("Account geschorst"),
    "member.unsuspend": _l("Schorsing opgeheven"),
    "domain.add": _l("Domein toegevoegd"),
    "domain.remove": _l("Domein verwijderd"),
    "group.create": _l("Groep aangemaakt"),
    "group.member_remove": _l("Lid uit groep gehaald"),
    "group.coordinator_appoint": _l("Coördinator benoemd"),
    "group.coordinator_revoke": _l("Coördinator teruggetrokken"),
    "post.hide": _l("Bericht verborgen"),
    "post.restore": _l("Bericht weer zichtbaar"),
    "post.redact": _l("Tekst uit bericht verwijderd"),
    "thread.hide": _l("Gesprek verborgen"),
    "thread.restore": _l("Gesprek weer zichtbaar"),
    "thread.lock": _l("Gesprek gesloten"),
    "thread.unlock": _l("Gesprek heropend"),
    "thread.pin": _l("Gesprek vastgezet"),
    "thread.unpin": _l("Gesprek losgemaakt"),
    "thread.move": _l("Gesprek verplaatst"),
    "report.resolve": _l("Melding afgehandeld"),
    "report.dismiss": _l("Melding afgewezen"),
    "appeal.submit": _l("Bezwaar ingediend"),
    "appeal.uphold": _l("Bezwaar afgewezen, besluit blijft"),
    "appeal.reverse": _l("Bezwaar toegekend, besluit teruggedraaid"),
}

TARGET_LABELS: dict[str, object] = {
    "user": _l("Lid"),
    "post": _l("Bericht"),
    "thread": _l("Gesprek"),
    "group": _l("Groep"),
    "report": _l("Melding"),
    "appeal": _l("Bezwaar"),
    "event": _l("Bijeenkomst"),
    "approved_domain": _l("Domein"),
}


def register_labels(labels: dict[str, object]) -> None:
    """Add the names of a feature's audit actions (code -> lazy translated label)."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    """The translated name of an action; the code itself for an action nobody named."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


@dataclass(frozen=True)
class Subject:
    label: str
    url: str | None = None


def _load(model, ids: set[int], *options) -> dict[int, object]:
    if not ids:
        return {}
    stmt = select(model).where(model.id.in_(ids)).options(*options)
    return {row.id: row for row in db.session.scalars(stmt)}


def subjects_for(events: list[AuditEvent]) -> dict[int, Subject]:
    """What each entry is about, named and linked: one query per kind of target on the
    page (at most five), whatever the number of entries."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.target_id is not None:
            wanted[event.target_type].add(event.target_id)
    users = _load(User, wanted["user"])
    threads = _load(Thread, wanted["thread"])
    posts = _load(Post, wanted["post"], joinedload(Post.thread))
    groups = _load(Group, wanted["group"])
    meetings = _load(Event, wanted["event"])
    result = {}
    for event in events:
        result[event.id] = _subject(event, users, threads, posts, groups, meetings)
    return result


def _subject(event, users, threads, posts, groups, meetings) -> Subject:
    kind, ident, details = event.target_type, event.target_id, event.details or {}
    kind_label = str(TARGET_LABELS.get(kind, kind))
    if kind == "user" and ident in users:
        user = users[ident]
        url = None if user.is_deleted else f"/moderation/members/{ident}"
        return Subject(user.public_name, url)
    if kind == "thread" and ident in threads:
        return Subject(threads[ident].title, f"/threads/{ident}")
    if kind == "post" and ident in posts:
        title = posts[ident].thread.title if posts[ident].thread else ""
        label = str(_l("Bericht in „%(title)s”", title=title))
        return Subject(label, f"/moderation/posts/{ident}")
    if kind == "group" and ident in groups:
        return Subject(groups[ident].label, f"/groups/{groups[ident].slug}")
    if kind == "event" and ident in meetings:
        return Subject(meetings[ident].title, f"/events/{ident}")
    if kind == "report" and details.get("post_id"):
        return Subject(f"{kind_label} {ident}", f"/moderation/posts/{details['post_id']}")
    if kind == "appeal" and ident is not None:
        return Subject(f"{kind_label} {ident}", f"/moderation/appeals/{ident}")
    if kind == "approved_domain" and details.get("domain"):
        return Subject(str(details["domain"]), "/admin/domains")
    return Subject(f"{kind_label} {ident}" if ident is not None else kind_label)


def subject_of(event: AuditEvent) -> Subject:
    return subjects_for([event])[event.id]
