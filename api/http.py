"""The API's HTTP conventions: who is asking, one error shape, ETags, CORS.

Every error under `/api/` — from a view, from routing (404, 405), from the rate
limiter (429), or an unexpected exception (500) — is answered as
`{"error": {"code": "...", "message": "...", "status": 404}}` (see `render_error`,
registered with `core.errors.register_error_renderer`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from flask import Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from api import services
from api.models import ApiToken
from core.extensions import db, login_manager

#: Stable machine-readable codes per status, for errors without a more specific code.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    400: "The request could not be understood.",
    401: "A valid personal access token is required.",
    403: "Your token does not allow this.",
    404: "Not found, or not visible to you.",
    405: "This method is not allowed here.",
    429: "Too many requests. Wait a moment and try again.",
    500: "Something went wrong on our side. Try again in a few minutes.",
    503: "The service is temporarily unavailable.",
}


class ApiError(HTTPException):
    """An HTTP error with a specific code and message for the client."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(description=message)
        self.code = status
        self.api_code = code
        self.api_headers = headers or {}


def api_abort(status: int, code: str, message: str, headers: dict | None = None) -> NoReturn:
    raise ApiError(status, code, message, headers)


def render_error(status: int, error: BaseException) -> Response:
    """The one JSON error shape, with the headers the error carries (Allow,
    WWW-Authenticate, Retry-After)."""
    code = getattr(error, "api_code", None) or ERROR_CODES.get(status, "error")
    if isinstance(error, ApiError):
        message = error.description
    else:
        message = MESSAGES.get(status) or (
            error.description if isinstance(error, HTTPException) else None
        )
    body = {"error": {"code": code, "message": message or "Error.", "status": status}}
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        response.headers.update(getattr(error, "api_headers", {}))
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    response.headers["Cache-Control"] = "no-store"
    return response


# --- who is asking ------------------------------------------------------------------


def bearer_secret() -> str | None:
    """The token in `Authorization: Bearer …`, or None without that header."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> None:
    """Find the request's token (before every API view). A wrong, expired or revoked
    token is refused outright rather than treated as a visitor, so a client notices."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    secret = bearer_secret()
    token = services.token_for_secret(secret) if secret else None
    if token is None:
        api_abort(401, "invalid_token", "The token is unknown, expired or revoked.",
                  {"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})  # fmt: skip
    g.api_token = token
    if services.record_use(token):
        # Its own small transaction, like a login stamp: reads never commit otherwise.
        db.session.commit()


def current_token() -> ApiToken | None:
    return g.get("api_token")


def api_user():
    """The token's owner, or an anonymous visitor. Session cookies are ignored: on the
    API only a token says who you are."""
    token = current_token()
    return token.user if token is not None else login_manager.anonymous_user()


def rate_limit_key() -> str:
    """Per token (by a hash of its secret, known before any query), else per address."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "api-ip:" + (request.remote_addr or "unknown")


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# --- responses ----------------------------------------------------------------------


def json_response(data: Any, status: int = 200, *, public: bool = False) -> Response:
    """JSON with a strong ETag (304 on a matching If-None-Match) and CORS for public
    reads by visitors (no credentials, so no member's content crosses origins)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Vary"] = "Authorization"
    token = current_token()
    response.headers["Cache-Control"] = "private, no-cache" if token else "no-cache"
    if request.method in {"GET", "HEAD"} and status == 200:
        response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        response = response.make_conditional(request)
    if public and token is None and request.method in {"GET", "HEAD"}:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response
