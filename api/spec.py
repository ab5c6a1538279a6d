"""The OpenAPI 3.1 document, generated from the registry and the marshmallow schemas."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from api.registry import MAX_ID, OPERATIONS, Operation
from api.schemas import ErrorSchema

API_VERSION = "1.0.0"
PREFIX = "/api/v1"
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

#: Answers every operation may give, besides its own.
COMMON_ERRORS = {
    400: "Invalid query parameter or cursor.",
    401: "The token is unknown, expired or revoked (or the operation needs one).",
    403: "The token lacks the scope, or you may not read this.",
    404: "Not found, or not visible to you.",
    409: "The event's state does not allow this.",
    429: "Too many requests for this token (or address); see Retry-After.",
}
DESCRIPTION = """\
The JSON API of {site}: events, groups, threads and posts you may see, kennisbank
items, your own notifications, and registering for events. It answers exactly what the site would show
you: the same permission rules decide.

**Authentication.** Create a personal access token on *Account → Beveiliging → API-sleutels*
and send it as `Authorization: Bearer jep_…`. A token has the `read` scope, and optionally
`write` (registering for events). Without a token you are a visitor and see only public data.

**Pagination.** Lists return `{{"items": [...], "next_cursor": "…"}}`; pass `next_cursor`
as `cursor` for the next page. Cursors are opaque.

**Caching.** Responses carry an `ETag`; send it back as `If-None-Match` to get
`304 Not Modified` when nothing changed.

**Errors** always look like `{{"error": {{"code": "not_found", "message": "…", "status": 404}}}}`;
`code` is stable, `message` is for people.

**Rate limits** apply per token (per address without one); `429` carries `Retry-After`.
"""


def _openapi_path(rule: str) -> tuple[str, list[dict]]:
    """Flask's `/events/<int:event_id>` as `/events/{event_id}` with its parameters."""
    parameters = []
    for match in _CONVERTER.finditer(rule):
        kind = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if match["converter"] == "int" else {
            "type": "string", "minLength": 1, "pattern": "^[^/]+$"}  # fmt: skip
        parameters.append({"in": "path", "name": match["name"], "required": True, "schema": kind})
    return PREFIX + _CONVERTER.sub(r"{\g<name>}", rule), parameters


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": "Error"}}}  # fmt: skip


def _operation(op: Operation) -> dict[str, Any]:
    _path, parameters = _openapi_path(op.rule)
    if op.args is not None:
        parameters = [*parameters, {"in": "query", "schema": op.args}]
    security = [{"token": [op.scope]}] if op.needs_token else [{}, {"token": [op.scope]}]
    statuses = {401, 429} | ({400} if op.args else set()) | set(op.errors)
    if op.needs_token:
        statuses.add(403)
    ok: dict[str, Any] = {
        "description": "OK",
        "content": {"application/json": {"schema": op.response}},
    }
    responses: dict[Any, Any] = {"200": ok}
    if op.method == "GET":
        ok["headers"] = {"ETag": {"description": "Send back as If-None-Match.",
                                   "schema": {"type": "string"}}}  # fmt: skip
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)."}
    for status in sorted(statuses):
        responses[str(status)] = _error(COMMON_ERRORS[status])
    responses["default"] = _error("Any other error, in the same shape.")
    return {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": op.description,
        "tags": [op.tag],
        "parameters": parameters,
        "security": security,
        "responses": responses,
    }


def build_spec() -> dict[str, Any]:
    """The whole document as a dict."""
    spec = APISpec(
        title=f"{current_app.config['SITE_NAME']} API",
        version=API_VERSION,
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION.format(site=current_app.config["SITE_NAME"])},
        servers=[{"url": current_app.config["BASE_URL"]}],
    )
    spec.components.security_scheme(
        "token",
        {"type": "http", "scheme": "bearer",
         "description": "A personal access token (`jep_…`) from /account/security/tokens. "
                        "Scopes: `read`, `write`."},
    )  # fmt: skip
    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict[str, dict]] = {}
    for op in OPERATIONS:
        path, _ = _openapi_path(op.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
