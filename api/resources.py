"""What the API offers: every operation under /api/v1, declared in the registry.

Each one asks the same questions as the page it mirrors, through the same queries and
policies: `readable_group_ids` / `visible_group_ids` for lists, `can_read_thread`,
`can_view_event`, `can_see_group` for single objects (404 for what the viewer may not
know exists, via `core.permissions.require`), and the events services for the write.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from api import presenters
from api.http import api_abort, current_token
from api.pagination import SortKey
from api.registry import action, detail, listing
from api.schemas import (
    EventArgsSchema,
    EventSchema,
    GroupSchema,
    KnowledgeArgsSchema,
    KnowledgeItemDetailSchema,
    KnowledgeItemSchema,
    MeSchema,
    NotificationSchema,
    PostSchema,
    RegionSchema,
    ThreadSchema,
)
from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.permissions import require
from core.taxonomy import Region, Sector, Tag
from core.text import clean_text
from events import policies as event_policies
from events import queries as event_queries
from events import registrations as event_registrations
from events.models import Event
from forum import listings as forum_listings
from forum import policies as forum_policies
from forum import queries as forum_queries
from forum.models import Post, Thread
from groups import policies as group_policies
from groups.models import Group
from groups.queries import membership_for, readable_group_ids, visible_group_ids
from knowledge import policies as knowledge_policies
from knowledge import queries as knowledge_queries
from knowledge.models import KnowledgeItem
from notifications.models import Notification

# --- events -------------------------------------------------------------------------


def _events(viewer, params: dict):
    now = utcnow()
    stmt = (
        select(Event)
        .where(Event.group_id.in_(readable_group_ids(viewer)))
        .options(joinedload(Event.group).joinedload(Group.region), joinedload(Event.event_type))
    )
    if params["when"] == "past":
        return stmt.where(Event.ends_at < now)
    return stmt.where(Event.ends_at >= now)


def _event_keys(params: dict) -> tuple[SortKey, ...]:
    past = params["when"] == "past"
    return (SortKey(Event.starts_at, "starts_at", past, "datetime"), SortKey(Event.id, "id", past))


def _visible_event(viewer, event_id: int) -> Event:
    """The event, or 404 unless the viewer may see it (as `/events/<id>`)."""
    event = event_queries.event_or_none(event_id) or abort(404)
    membership = membership_for(viewer, event.group)
    require(event_policies.can_view_event(viewer, event, membership), hide=True)
    return event


def _event(viewer, params: dict, event_id: int) -> dict:
    return presenters.events(viewer, [_visible_event(viewer, event_id)])[0]


def _register(viewer, params: dict, event_id: int) -> dict:
    """Sign up, as the page's button does; registering twice answers the same."""
    event = _visible_event(viewer, event_id)
    membership = membership_for(viewer, event.group)
    if event_registrations.active_registration(event.id, viewer.id) is None:
        if not event_policies.can_register(viewer, event, membership, None, utcnow()):
            api_abort(409, "registration_closed", "Registration for this event is not open.")
        try:
            event_registrations.register_for_event(event, viewer)
        except event_registrations.EventError as error:
            api_abort(409, "registration_closed", str(error))
    return presenters.events(viewer, [event])[0]


def _unregister(viewer, params: dict, event_id: int) -> dict:
    """Withdraw before the start; withdrawing without a registration changes nothing."""
    event = _visible_event(viewer, event_id)
    try:
        event_registrations.unregister_from_event(event, viewer)
    except event_registrations.EventError as error:
        api_abort(409, "event_started", str(error))
    return presenters.events(viewer, [event])[0]


listing("/events", "list_events", item=EventSchema, tag="events", args=EventArgsSchema,
        select=_events, keys=_event_keys, present=presenters.events,
        summary="Events you may see",
        description="Events of the groups whose content you may read, as on /events, with "
                    "your own registration. Visitors see none: meetings are for members.")  # fmt: skip
detail("/events/<int:event_id>", "get_event", item=EventSchema, tag="events", load=_event,
       summary="One event", errors=(404,),
       description="The address and online link only for confirmed participants and the "
                   "group's coordinators.")  # fmt: skip
action("/events/<int:event_id>/register", "register_for_event", response=EventSchema,
       tag="events", run=_register, errors=(404, 409), summary="Register for an event",
       description="Confirmed while seats remain, else waitlisted; pending when the event "
                   "needs approval. Idempotent: registering again returns the event as it is. "
                   "Needs the write scope.")  # fmt: skip
action("/events/<int:event_id>/unregister", "unregister_from_event", response=EventSchema,
       tag="events", run=_unregister, errors=(404, 409), summary="Withdraw from an event",
       description="Before the start. A freed seat goes to the first on the waitlist. "
                   "Needs the write scope.")  # fmt: skip


# --- groups, threads, posts -----------------------------------------------------------


def _groups(viewer, params: dict):
    return (
        select(Group)
        .where(Group.id.in_(visible_group_ids(viewer)))
        .options(joinedload(Group.region))
    )


def _visible_group(viewer, slug: str) -> tuple[Group, object]:
    group = event_queries.group_by_slug(slug) or abort(404)
    membership = membership_for(viewer, group)
    require(group_policies.can_see_group(viewer, group, membership), hide=True)
    return group, membership


def _group(viewer, params: dict, slug: str) -> dict:
    return presenters.groups(viewer, [_visible_group(viewer, slug)[0]])[0]


def _group_threads(viewer, params: dict, slug: str):
    group, membership = _visible_group(viewer, slug)
    require(group_policies.can_read_group(viewer, group, membership))
    return (
        select(Thread)
        .where(forum_listings.visible_threads(), Thread.group_id == group.id)
        .options(
            joinedload(Thread.group),
            joinedload(Thread.author).joinedload(User.sector),
            selectinload(Thread.tags),
        )
    )


def _readable_thread(viewer, thread_id: int) -> Thread:
    """The thread, or 404 unless the viewer may read it (as `/threads/<id>`)."""
    thread = forum_queries.get_thread(thread_id) or abort(404)
    membership = membership_for(viewer, thread.group)
    require(forum_policies.can_read_thread(viewer, thread, membership), hide=True)
    return thread


def _thread(viewer, params: dict, thread_id: int) -> dict:
    return presenters.threads(viewer, [_readable_thread(viewer, thread_id)])[0]


def _posts(viewer, params: dict, thread_id: int):
    thread = _readable_thread(viewer, thread_id)
    return (
        select(Post)
        .where(Post.thread_id == thread.id)
        .options(joinedload(Post.author).joinedload(User.sector))
    )


_THREAD_KEYS = (SortKey(Thread.last_activity_at, "last_activity_at", True, "datetime"),
                SortKey(Thread.id, "id", True))  # fmt: skip

listing("/groups", "list_groups", item=GroupSchema, tag="groups", select=_groups,
        keys=(SortKey(Group.name, "name", kind="str"), SortKey(Group.id, "id")),
        present=presenters.groups, summary="Groups you may see",
        description="As on /groups: every group but secret ones, which only their members "
                    "see. Visitors see none.")  # fmt: skip
detail("/groups/<slug>", "get_group", item=GroupSchema, tag="groups", load=_group,
       summary="One group", errors=(404,))  # fmt: skip
listing("/groups/<slug>/threads", "list_group_threads", item=ThreadSchema, tag="forum",
        select=_group_threads, keys=_THREAD_KEYS, present=presenters.threads, errors=(403, 404),
        summary="Threads of a group",
        description="Latest activity first. Closed and secret groups only for their "
                    "members.")  # fmt: skip
detail("/threads/<int:thread_id>", "get_thread", item=ThreadSchema, tag="forum",
       load=_thread, summary="One thread", errors=(404,))  # fmt: skip
listing("/threads/<int:thread_id>/posts", "list_thread_posts", item=PostSchema, tag="forum",
        select=_posts, keys=(SortKey(Post.id, "id"),), present=presenters.posts, errors=(404,),
        summary="Posts of a thread",
        description="The opening post and every reply, oldest first; `parent_id` gives the "
                    "reply tree.")  # fmt: skip


# --- kennisbank ----------------------------------------------------------------------


def _term_id(model, name: str, key: str | None) -> int | None:
    if key is None:
        return None
    term_id = db.session.scalar(select(model.id).where(model.key == key))
    if term_id is None:
        api_abort(400, "invalid_parameter", f"Invalid query parameter: {name}.")
    return term_id


def _knowledge_items(viewer, params: dict):
    """As /kennisbank: published items (members-only ones for members), the same filters
    and the same full-text match (`knowledge.queries.readable_items`)."""
    filters = knowledge_queries.ItemFilters(
        q=" ".join(clean_text(params.get("q", "")).split())[: knowledge_queries.QUERY_MAX],
        kind=params.get("kind"),
        level=params.get("level"),
        approach=params.get("approach"),
        theme_id=_term_id(Tag, "theme", params.get("theme")),
        sector_id=_term_id(Sector, "sector", params.get("sector")),
        region_id=_term_id(Region, "region", params.get("region")),
    )
    return knowledge_queries.readable_items(viewer, filters).options(
        selectinload(KnowledgeItem.themes),
        selectinload(KnowledgeItem.sectors),
        selectinload(KnowledgeItem.regions),
    )


def _knowledge_item(viewer, params: dict, slug: str) -> dict:
    """The item, or the page's 404. Drafts and items in review never, not even for
    editors: the API offers only what is published. An old slug answers the item."""
    item, _is_old = knowledge_queries.get_item_by_slug(slug)
    if item is None or not item.is_published:
        abort(404)
    require(knowledge_policies.can_read_item(viewer, item), hide=True)
    return presenters.knowledge_item(viewer, item)


listing("/kennisbank", "list_knowledge_items", item=KnowledgeItemSchema, tag="kennisbank",
        args=KnowledgeArgsSchema, select=_knowledge_items, present=presenters.knowledge_items,
        keys=(SortKey(KnowledgeItem.published_at, "published_at", True, "datetime"),
              SortKey(KnowledgeItem.id, "id", True)),
        public=True, summary="Kennisbank items",
        description="Published items, newest first, with the filters and full-text search "
                    "of /kennisbank. Members-only items only with a member's token. Public: "
                    "without a token readable from other sites (CORS).")  # fmt: skip
detail("/kennisbank/<slug>", "get_knowledge_item", item=KnowledgeItemDetailSchema,
       tag="kennisbank", load=_knowledge_item, public=True, errors=(404,),
       summary="One kennisbank item",
       description="With its body and, for an intervention, the structured fields. An "
                   "earlier slug of a renamed item answers the item under its current "
                   "`slug`.")  # fmt: skip


# --- the member's own -----------------------------------------------------------------


def _notifications(viewer, params: dict):
    return select(Notification).where(Notification.user_id == viewer.id)


def _me(viewer, params: dict) -> dict:
    return presenters.me(viewer, current_token())


listing("/notifications", "list_notifications", item=NotificationSchema, tag="me",
        select=_notifications, needs_token=True, present=presenters.notifications,
        keys=(SortKey(Notification.created_at, "created_at", True, "datetime"),
              SortKey(Notification.id, "id", True)),
        summary="Your notifications", description="Newest first, as on /notifications.")  # fmt: skip
detail("/me", "get_me", item=MeSchema, tag="me", load=_me, needs_token=True,
       summary="You and your token")  # fmt: skip


# --- public reference data ------------------------------------------------------------


def _regions(viewer, params: dict):
    return select(Region)


listing("/regions", "list_regions", item=RegionSchema, tag="reference", select=_regions,
        keys=(SortKey(Region.position, "position"), SortKey(Region.id, "id")),
        present=presenters.regions, public=True,
        summary="Veiligheidsregio's",
        description="The regions groups and events belong to. Public: no token needed, "
                    "and readable from other sites (CORS).")  # fmt: skip
