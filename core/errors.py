"""Friendly, localised error pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, str(_l("Het formulier is verlopen of ongeldig. Laad de pagina opnieuw."))
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in MESSAGES:
            response = render_error(error.code)
            if error.code == 405:
                return response[0], 405, {"Allow": ", ".join(error.valid_methods or [])}
            return response
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        from flask import current_app
        from sqlalchemy.exc import DBAPIError

        from core.extensions import db

        if current_app.testing and not current_app.config.get("RENDER_500_IN_TESTS"):
            raise error
        try:
            db.session.rollback()
        except Exception:  # The database may be the thing that failed.
            log.warning("rollback failed after error on %s", request.path)
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            log.warning("database unavailable during %s", request.path)
            return render_error(503)
        if isinstance(error, DBAPIError) and _is_connection_error(error):
            log.warning("database unavailable during %s", request.path)
            return render_error(503)
        log.exception("unhandled error on %s", request.path)
        return render_error(500)


def _is_connection_error(error) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(error, OperationalError) and any(
        word in str(error.orig).lower()
        for word in ("connection", "could not connect", "server closed", "terminating")
    )
