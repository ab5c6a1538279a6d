"""Friendly, localised error pages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Ongeldig verzoek"), _l("Het verzoek kon niet worden verwerkt. Probeer het opnieuw vanaf de vorige pagina.")),
    403: (_l("Geen toegang"), _l("Je hebt geen toegang tot deze pagina.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet of je hebt er geen toegang toe.")),
    405: (_l("Niet toegestaan"), _l("Deze actie is op deze manier niet toegestaan.")),
    413: (_l("Te groot"), _l("Wat je verstuurde is te groot. Maak het korter of kleiner en probeer het opnieuw.")),
    429: (_l("Even geduld"), _l("Je hebt dit te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw.")),
    500: (_l("Er ging iets mis"), _l("Er ging aan onze kant iets mis. Je gegevens zijn niet verloren; probeer het over een paar minuten opnieuw.")),
    503: (_l("Tijdelijk niet beschikbaar"), _l("Het platform is tijdelijk niet beschikbaar. Probeer het over een paar minuten opnieuw.")),
}  # fmt: skip


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    try:
        page = render_template(
            "errors/error.html", code=code, title=title, message=detail or message
        )
    except Exception:
        # The page itself cannot be built (an untrusted Host header leaves no URL
        # adapter; the database may be down): answer in plain text instead.
        log.warning("error page %s rendered as plain text", code)
        return (
            f"{title}\n\n{detail or message}\n",
            code,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    return page, code


#: A renderer answers an error for requests under a path prefix in its own format (the
#: JSON API): `render(status, error) -> Response`.
ErrorRenderer = Callable[[int, BaseException], object]


def register_error_renderer(app: Flask, prefix: str, render: ErrorRenderer) -> None:
    """Answer errors of requests whose path starts with `prefix` with `render` instead
    of an HTML page (registered at start-up by the feature that owns the prefix)."""
    app.extensions.setdefault("error_renderers", []).append((prefix, render))


def _renderer_for_request() -> ErrorRenderer | None:
    for prefix, render in current_app.extensions.get("error_renderers", ()):
        if request.path.startswith(prefix):
            return render
    return None


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if render := _renderer_for_request():
            return render(400, error)
        return render_error(
            400, str(_l("Het formulier is verlopen of ongeldig. Laad de pagina opnieuw."))
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 400 and (render := _renderer_for_request()):
            return render(error.code, error)
        if error.code in MESSAGES:
            response = render_error(error.code)
            if error.code == 405:
                return response[0], 405, {"Allow": ", ".join(error.valid_methods or [])}
            return response
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from sqlalchemy.exc import DBAPIError

        from core.extensions import db

        if current_app.testing and not current_app.config.get("RENDER_500_IN_TESTS"):
            raise error
        try:
            db.session.rollback()
        except Exception:  # The database may be the thing that failed.
            log.warning("rollback failed after error on %s", request.path)
        render = _renderer_for_request() or (lambda status, _error: render_error(status))
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            log.warning("database unavailable during %s", request.path)
            return render(503, error)
        if isinstance(error, DBAPIError) and _is_connection_error(error):
            log.warning("database unavailable during %s", request.path)
            return render(503, error)
        log.exception("unhandled error on %s", request.path)
        return render(500, error)


def _is_connection_error(error) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError) and any(
        word in str(error.orig).lower()
        for word in ("connection", "could not connect", "server closed", "terminating")
    )
