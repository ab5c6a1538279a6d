"""The API's operations, declared once: the routes and the OpenAPI document are both
generated from this registry, so an undocumented endpoint cannot exist.

Adding a resource takes a few lines in `api/resources.py`, e.g. kennisbank items once
that feature exists::

    listing("/items", "list_items", item=ItemSchema, tag="kennisbank", public=True,
            select=lambda viewer, params: knowledge.queries.readable_items(viewer),
            keys=(SortKey(Item.published_at, "published_at", True, "datetime"),
                  SortKey(Item.id, "id", True)),
            present=present_items, summary="Published kennisbank items")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, request
from marshmallow import Schema, ValidationError

from api.http import api_abort, api_user, current_token, json_response
from api.pagination import Page, SortKey, paginate
from api.policies import token_grants
from api.schemas import ListArgsSchema, page_schema
from core.extensions import db

Handler = Callable[..., Any]  # (viewer, params, **path values) -> data to dump


@dataclass(frozen=True)
class Operation:
    """One documented operation under /api/v1."""

    rule: str  # Flask rule relative to /api/v1: "/events/<int:event_id>"
    endpoint: str
    method: str
    summary: str
    tag: str
    response: type[Schema]
    handle: Handler
    args: type[Schema] | None = None
    description: str = ""
    scope: str = "read"
    #: Visitors (no token) get 401 instead of a visitor's view.
    needs_token: bool = False
    #: Readable by visitors on other sites: CORS for requests without a token.
    public: bool = False
    #: Statuses this operation may answer besides 200 and the common ones.
    errors: tuple[int, ...] = ()
    path_descriptions: dict[str, str] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def register(operation: Operation) -> Operation:
    if any(op.endpoint == operation.endpoint for op in OPERATIONS):
        raise ValueError(f"API endpoint {operation.endpoint} declared twice")
    OPERATIONS.append(operation)
    return operation


def listing(
    rule: str,
    endpoint: str,
    *,
    item: type[Schema],
    select: Handler,
    keys: tuple[SortKey, ...] | Callable[[dict], tuple[SortKey, ...]],
    present: Callable[[Any, list], list[dict]],
    args: type[Schema] = ListArgsSchema,
    **options: Any,
) -> Operation:
    """A collection with cursor pagination. `select(viewer, params, **path)` returns a
    select of the rows the viewer may see (it aborts with 404 for a parent the viewer
    may not see); `present(viewer, rows)` turns a page of rows into dicts, loading
    per-viewer data (registrations, memberships) in bulk."""

    def handle(viewer, params: dict, **path: Any) -> dict:
        order = keys(params) if callable(keys) else keys
        page: Page = paginate(
            select(viewer, params, **path), order,
            listing=endpoint, cursor=params.get("cursor"), limit=params["limit"],
        )  # fmt: skip
        return {"items": present(viewer, page.rows), "next_cursor": page.next_cursor}

    return register(
        Operation(
            rule, endpoint, "GET", response=page_schema(item), handle=handle, args=args, **options
        )
    )


def detail(rule: str, endpoint: str, *, item: type[Schema], load: Handler, **options) -> Operation:
    """One object: `load(viewer, params, **path)` returns its dict or aborts with 404."""
    return register(Operation(rule, endpoint, "GET", response=item, handle=load, **options))


def action(rule: str, endpoint: str, *, response: type[Schema], run: Handler, **options):
    """A state change (POST, scope write). `run` calls the services (flush only); the
    generated view commits once."""
    options.setdefault("scope", "write")
    options.setdefault("needs_token", True)
    return register(Operation(rule, endpoint, "POST", response=response, handle=run, **options))


# --- the views ----------------------------------------------------------------------


def _check_access(operation: Operation) -> None:
    token = current_token()
    if token is None and operation.needs_token:
        api_abort(401, "token_required", "This operation needs a personal access token.")
    if token is not None and not token_grants(token, operation.scope):
        api_abort(403, "insufficient_scope", f"This operation needs the '{operation.scope}' scope.",
                  {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{operation.scope}"'})  # fmt: skip


def _params(operation: Operation) -> dict:
    if operation.args is None:
        return {}
    try:
        return operation.args().load(request.args.to_dict())
    except ValidationError as error:
        fields = ", ".join(sorted(error.normalized_messages()))
        api_abort(400, "invalid_parameter", f"Invalid query parameter: {fields}.")


def make_view(operation: Operation):
    def view(**path: Any):
        _check_access(operation)
        data = operation.handle(api_user(), _params(operation), **path)
        if operation.method != "GET":
            db.session.commit()
        return json_response(operation.response().dump(data), public=operation.public)

    view.__name__ = view.__qualname__ = operation.endpoint
    view.__doc__ = operation.summary
    return view


#: Ids are PostgreSQL `integer`s: a larger number cannot name anything, so it is a 404
#: at routing rather than an out-of-range error in the database.
MAX_ID = 2**31 - 1


def add_routes(blueprint: Blueprint) -> None:
    for operation in OPERATIONS:
        rule = operation.rule.replace("<int:", f"<int(min=1, max={MAX_ID}):")
        blueprint.add_url_rule(rule, operation.endpoint, make_view(operation),
                               methods=[operation.method])  # fmt: skip
