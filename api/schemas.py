"""Marshmallow schemas: what the API returns and accepts. The OpenAPI document is
generated from these (apispec), so the document and the responses cannot drift."""

from __future__ import annotations

from functools import cache

from marshmallow import EXCLUDE, Schema, fields, validate

from api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from events.models import REGISTRATION_STATUSES
from forum.models import THREAD_KINDS
from groups.models import GROUP_KINDS, MEMBERSHIP_ROLES, MEMBERSHIP_STATUSES, VISIBILITIES
from knowledge.models import APPROACHES, EVIDENCE_LEVELS, KINDS


class TermSchema(Schema):
    """A taxonomy term (region, sector, event type, tag) in both languages."""

    key = fields.String(required=True)
    name_nl = fields.String(required=True)
    name_en = fields.String(required=True)


class RegionSchema(TermSchema):
    province = fields.String(required=True)


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "Stable, machine-readable."})
    message = fields.String(required=True, metadata={"description": "For people (English)."})
    status = fields.Integer(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class AuthorSchema(Schema):
    """Who wrote something; a deleted account shows as "Oud-lid" without an id."""

    id = fields.Integer(required=True, allow_none=True)
    name = fields.String(required=True)
    sector = fields.Nested(TermSchema, required=True, allow_none=True)


class GroupRefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class MembershipSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(MEMBERSHIP_STATUSES))
    role = fields.String(required=True, validate=validate.OneOf(MEMBERSHIP_ROLES))


class GroupSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    description = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(GROUP_KINDS))
    visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    region = fields.Nested(TermSchema, required=True, allow_none=True)
    member_count = fields.Integer(required=True)
    membership = fields.Nested(
        MembershipSchema, required=True, allow_none=True,
        metadata={"description": "Your membership of the group, if any."},
    )  # fmt: skip
    can_read = fields.Boolean(
        required=True, metadata={"description": "Whether you may read its threads and events."}
    )
    url = fields.String(required=True, metadata={"description": "The group's page."})


class RegistrationSchema(Schema):
    """The token owner's registration for an event."""

    event_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(REGISTRATION_STATUSES))
    waitlist_position = fields.Integer(required=True, allow_none=True)


class EventSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description_html = fields.String(
        required=True, metadata={"description": "Sanitised HTML, rendered from Markdown."}
    )
    event_type = fields.Nested(TermSchema, required=True, allow_none=True)
    group = fields.Nested(GroupRefSchema, required=True)
    region = fields.Nested(TermSchema, required=True, allow_none=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    timezone = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("scheduled", "cancelled")))
    capacity = fields.Integer(required=True, allow_none=True)
    seats_left = fields.Integer(required=True, allow_none=True)
    registration_deadline = fields.AwareDateTime(required=True, allow_none=True)
    registration_open = fields.Boolean(required=True)
    requires_approval = fields.Boolean(required=True)
    location = fields.String(
        required=True, allow_none=True,
        metadata={"description": "Only for confirmed participants and coordinators."},
    )  # fmt: skip
    online_url = fields.String(
        required=True, allow_none=True,
        metadata={"description": "Only for confirmed participants and coordinators."},
    )  # fmt: skip
    my_registration = fields.Nested(RegistrationSchema, required=True, allow_none=True)
    url = fields.String(required=True)


class ThreadSchema(Schema):
    id = fields.Integer(required=True)
    group = fields.Nested(GroupRefSchema, required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(THREAD_KINDS))
    author = fields.Nested(AuthorSchema, required=True)
    tags = fields.List(fields.Nested(TermSchema), required=True)
    is_pinned = fields.Boolean(required=True)
    is_locked = fields.Boolean(required=True)
    accepted_post_id = fields.Integer(required=True, allow_none=True)
    reply_count = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    last_activity_at = fields.AwareDateTime(required=True)
    url = fields.String(required=True)


class PostSchema(Schema):
    id = fields.Integer(required=True)
    thread_id = fields.Integer(required=True)
    parent_id = fields.Integer(required=True, allow_none=True)
    depth = fields.Integer(required=True)
    author = fields.Nested(AuthorSchema, required=True)
    body_html = fields.String(
        required=True, allow_none=True,
        metadata={"description": "Sanitised HTML; null when the post was deleted or hidden."},
    )  # fmt: skip
    is_deleted = fields.Boolean(required=True)
    is_hidden = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(required=True)
    edited_at = fields.AwareDateTime(required=True, allow_none=True)
    useful_count = fields.Integer(required=True)
    thanks_count = fields.Integer(required=True)


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True)
    url = fields.String(required=True)
    thread_id = fields.Integer(required=True, allow_none=True)
    post_id = fields.Integer(required=True, allow_none=True)
    event_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    read_at = fields.AwareDateTime(required=True, allow_none=True)


class KnowledgeItemSchema(Schema):
    """A published kennisbank item, as in the list on /kennisbank."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    summary = fields.String(required=True)
    is_members_only = fields.Boolean(
        required=True, metadata={"description": "Only members (with a token) see it."}
    )
    evidence_level = fields.String(
        required=True, allow_none=True, validate=validate.OneOf(EVIDENCE_LEVELS),
        metadata={"description": "Erkenningscommissie grade; interventions only."},
    )  # fmt: skip
    approach = fields.String(
        required=True, allow_none=True, validate=validate.OneOf(APPROACHES),
        metadata={"description": "RAN approach; interventions only."},
    )  # fmt: skip
    themes = fields.List(fields.Nested(TermSchema), required=True)
    sectors = fields.List(fields.Nested(TermSchema), required=True)
    regions = fields.List(fields.Nested(TermSchema), required=True)
    published_at = fields.AwareDateTime(required=True)
    last_reviewed_on = fields.Date(required=True, allow_none=True)
    url = fields.String(required=True, metadata={"description": "The item's page."})


class InterventionSchema(Schema):
    """The structured fields of an intervention (plain text; empty when not filled in)."""

    age_min = fields.Integer(required=True, allow_none=True)
    age_max = fields.Integer(required=True, allow_none=True)
    goal = fields.String(required=True)
    target_group = fields.String(required=True)
    method = fields.String(required=True)
    rationale = fields.String(required=True)
    delivery = fields.String(required=True)
    provider = fields.String(required=True)
    costs = fields.String(required=True)
    sources = fields.String(required=True)


class KnowledgeItemDetailSchema(KnowledgeItemSchema):
    body_html = fields.String(
        required=True, metadata={"description": "Sanitised HTML, rendered from Markdown."}
    )
    intervention = fields.Nested(
        InterventionSchema, required=True, allow_none=True,
        metadata={"description": "For interventions (kind `interventie`); null otherwise."},
    )  # fmt: skip


class TokenInfoSchema(Schema):
    name = fields.String(required=True)
    scopes = fields.List(fields.String(validate=validate.OneOf(("read", "write"))), required=True)
    expires_at = fields.AwareDateTime(required=True)


class MeSchema(Schema):
    id = fields.Integer(required=True)
    display_name = fields.String(required=True)
    organisation = fields.String(required=True)
    sector = fields.Nested(TermSchema, required=True, allow_none=True)
    region = fields.Nested(TermSchema, required=True, allow_none=True)
    language = fields.String(required=True)
    token = fields.Nested(TokenInfoSchema, required=True)


# --- query parameters ---------------------------------------------------------------


class ListArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    cursor = fields.String(
        metadata={"description": "`next_cursor` of the previous page (opaque)."},
        validate=validate.Length(max=2000),
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Items per page (1–{MAX_LIMIT})."},
    )  # fmt: skip


class EventArgsSchema(ListArgsSchema):
    when = fields.String(
        load_default="upcoming", validate=validate.OneOf(("upcoming", "past")),
        metadata={"description": "Upcoming events (soonest first) or past ones (latest first)."},
    )  # fmt: skip


class KnowledgeArgsSchema(ListArgsSchema):
    q = fields.String(
        validate=validate.Length(max=2000),
        metadata={"description": "Full-text search, as on /kennisbank (first 200 characters)."},
    )  # fmt: skip
    kind = fields.String(validate=validate.OneOf(KINDS))
    level = fields.String(
        validate=validate.OneOf(EVIDENCE_LEVELS), metadata={"description": "Evidence level."}
    )
    approach = fields.String(validate=validate.OneOf(APPROACHES))
    theme = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "A theme's key (an unknown key is a 400)."},
    )  # fmt: skip
    sector = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "A sector's key (an unknown key is a 400)."},
    )  # fmt: skip
    region = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "A region's key (an unknown key is a 400)."},
    )  # fmt: skip


@cache
def page_schema(item: type[Schema]) -> type[Schema]:
    """`{"items": [...], "next_cursor": "…" | null}` for an item schema."""
    name = item.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
        },
    )
