"""Security baseline: response headers and cache policy."""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import AnonymousUserMixin, current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'"
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure or response.headers.get("X-Forwarded-Proto") == "https":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if _signed_in() and "Cache-Control" not in headers:
        # Group content must not linger in shared or browser caches.
        headers["Cache-Control"] = "no-store"
    headers.setdefault("X-Robots-Tag", "noindex, nofollow")
    return response


def _signed_in() -> bool:
    """Whether a member is signed in, without reloading them: after a commit their
    attributes are expired, and asking `is_authenticated` would cost a statement."""
    user = g.get("_login_user")
    if user is None:
        return bool(getattr(current_user, "is_authenticated", False))
    return not isinstance(user, AnonymousUserMixin)


def init_app(app: Flask) -> None:
    if app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = list(app.config["TRUSTED_HOSTS"])
    app.after_request(set_security_headers)
