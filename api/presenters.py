"""Rows to dicts, per viewer: what each schema in `api/schemas.py` receives.

Every decision about what a viewer may see is a call to the feature's own policy
(`events.policies.can_see_location`, …); per-viewer data is loaded in bulk, so a page
costs the same number of queries whatever its length.
"""

from __future__ import annotations

from api.queries import memberships_in
from core.db import utcnow
from core.urls import external_url
from events import policies as event_policies
from events import registrations as event_registrations
from events.queries import my_registrations
from groups import policies as group_policies
from knowledge.models import INTERVENTION_FIELDS
from notifications.services import absolute


def term(value) -> dict | None:
    if value is None:
        return None
    return {"key": value.key, "name_nl": value.name_nl, "name_en": value.name_en}


def author(user) -> dict:
    if user is None or user.is_deleted:
        return {"id": None, "name": "Oud-lid", "sector": None}
    return {"id": user.id, "name": user.public_name, "sector": term(user.sector)}


def group_ref(group) -> dict:
    return {"slug": group.slug, "name": group.name}


def groups(viewer, rows: list) -> list[dict]:
    mine = memberships_in(viewer, [group.id for group in rows])
    result = []
    for group in rows:
        membership = mine.get(group.id)
        result.append({
            "slug": group.slug, "name": group.name, "name_en": group.name_en,
            "description": group.description, "kind": group.kind,
            "visibility": group.visibility, "region": term(group.region),
            "member_count": group.member_count,
            "membership": {"status": membership.status, "role": membership.role}
            if membership else None,
            "can_read": group_policies.can_read_group(viewer, group, membership),
            "url": external_url("groups.show_group", slug=group.slug),
        })  # fmt: skip
    return result


def registration(item) -> dict | None:
    if item is None:
        return None
    return {"event_id": item.event_id, "status": item.status,
            "waitlist_position": event_registrations.waitlist_position(item)}  # fmt: skip


def events(viewer, rows: list) -> list[dict]:
    mine = my_registrations(viewer, [event.id for event in rows])
    memberships = memberships_in(viewer, [event.group_id for event in rows])
    now = utcnow()
    result = []
    for event in rows:
        own = mine.get(event.id)
        sees_location = event_policies.can_see_location(
            viewer, event, memberships.get(event.group_id), own
        )
        result.append({
            "id": event.id, "title": event.title, "description_html": event.description_html,
            "event_type": term(event.event_type), "group": group_ref(event.group),
            "region": term(event.group.region),
            "starts_at": event.starts_at, "ends_at": event.ends_at, "timezone": event.timezone,
            "status": event.status, "capacity": event.capacity, "seats_left": event.seats_left,
            "registration_deadline": event.registration_deadline,
            "registration_open": event_policies.registration_is_open(event, now),
            "requires_approval": event.requires_approval,
            "location": event.location if sees_location else None,
            "online_url": event.online_url if sees_location else None,
            "my_registration": registration(own),
            "url": external_url("events.show_event", event_id=event.id),
        })  # fmt: skip
    return result


def threads(viewer, rows: list) -> list[dict]:
    return [
        {
            "id": thread.id,
            "group": group_ref(thread.group),
            "title": thread.title,
            "kind": thread.kind,
            "author": author(thread.author),
            "tags": [term(tag) for tag in thread.tags],
            "is_pinned": thread.is_pinned,
            "is_locked": thread.is_locked,
            "accepted_post_id": thread.accepted_post_id,
            "reply_count": thread.reply_count,
            "created_at": thread.created_at,
            "last_activity_at": thread.last_activity_at,
            "url": external_url("forum.show_thread", thread_id=thread.id),
        }
        for thread in rows
    ]


def posts(viewer, rows: list) -> list[dict]:
    # A removed post keeps its place in the tree, without its text: what the page shows
    # everyone but its author and moderators, and the API never shows more.
    return [
        {
            "id": post.id,
            "thread_id": post.thread_id,
            "parent_id": post.parent_id,
            "depth": post.depth,
            "author": author(post.author),
            "body_html": None if post.is_removed else post.body_html,
            "is_deleted": post.deleted_at is not None,
            "is_hidden": post.hidden_at is not None,
            "created_at": post.created_at,
            "edited_at": None if post.deleted_at else post.edited_at,
            "useful_count": post.useful_count,
            "thanks_count": post.thanks_count,
        }
        for post in rows
    ]


def notifications(viewer, rows: list) -> list[dict]:
    return [
        {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "text": item.text,
            "url": absolute(item.url) if item.url else "",
            "thread_id": item.thread_id,
            "post_id": item.post_id,
            "event_id": item.event_id,
            "created_at": item.created_at,
            "read_at": item.read_at,
        }
        for item in rows
    ]


def regions(viewer, rows: list) -> list[dict]:
    return [{**term(region), "province": region.province} for region in rows]


def me(viewer, token) -> dict:
    return {
        "id": viewer.id, "display_name": viewer.display_name,
        "organisation": viewer.organisation, "sector": term(viewer.sector),
        "region": term(viewer.region), "language": viewer.language,
        "token": {"name": token.name, "scopes": token.scope_list, "expires_at": token.expires_at},
    }  # fmt: skip


def knowledge_items(viewer, rows: list) -> list[dict]:
    return [
        {
            "slug": item.slug, "title": item.title, "kind": item.kind,
            "summary": item.summary, "is_members_only": item.is_members_only,
            "evidence_level": item.evidence_level, "approach": item.approach,
            "themes": [term(tag) for tag in item.themes],
            "sectors": [term(sector) for sector in item.sectors],
            "regions": [term(region) for region in item.regions],
            "published_at": item.published_at, "last_reviewed_on": item.last_reviewed_on,
            "url": external_url("knowledge.show_item", slug=item.slug),
        }
        for item in rows
    ]  # fmt: skip


def knowledge_item(viewer, item) -> dict:
    """One item with its body and, for an intervention, the structured fields."""
    intervention = None
    if item.is_intervention:
        intervention = {"age_min": item.age_min, "age_max": item.age_max,
                        **{name: getattr(item, name) or "" for name in INTERVENTION_FIELDS}}  # fmt: skip
    return {**knowledge_items(viewer, [item])[0], "body_html": item.body_html,
            "intervention": intervention}  # fmt: skip
