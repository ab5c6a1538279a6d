"""Security baseline: response headers, cache policy, CSRF tokens signed once."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_login import AnonymousUserMixin, current_user

#: Signed CSRF tokens kept per process, by the session's raw token.
SIGNED_TOKENS_KEPT = 4096

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


def _reuse_signed_csrf_token() -> None:
    """Flask-WTF signs the session's CSRF token again on every request that shows a form
    (every page: the nav has the logout button). With no time limit on tokens a token
    signed once stays valid, so one is kept per session token and handed to Flask-WTF
    (`g.csrf_token`, where it looks first)."""
    raw = session.get("csrf_token")
    if raw:
        signed = current_app.extensions["signed_csrf_tokens"].get(raw)
        if signed is not None:
            g.csrf_token = signed


def _keep_signed_csrf_token(response):
    raw, signed = session.get("csrf_token"), g.get("csrf_token")
    if raw and signed:
        kept = current_app.extensions["signed_csrf_tokens"]
        if raw not in kept:
            if len(kept) >= SIGNED_TOKENS_KEPT:
                kept.clear()
            kept[raw] = signed
    return response


def init_app(app: Flask) -> None:
    if app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = list(app.config["TRUSTED_HOSTS"])
    app.after_request(set_security_headers)
    if app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        app.extensions["signed_csrf_tokens"] = {}
        app.before_request(_reuse_signed_csrf_token)
        app.after_request(_keep_signed_csrf_token)
