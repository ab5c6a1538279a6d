"""Routes for proof of attendance: the printable page, the PDF and the public check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import get_locale
from flask_login import current_user

from auth.guards import member_required
from core.db import utcnow
from core.extensions import db, limiter
from core.i18n import gettext as _
from core.permissions import require
from core.urls import external_url
from events import policies, queries, registrations
from events.certificates import (
    CertificateFacts,
    certificate_by_code,
    certificate_facts,
    issue_certificate_code,
)
from events.emails import local_span
from events.models import Registration
from groups.queries import membership_for

bp = Blueprint("certificates", __name__)

#: The check is public: enough for a reviewer, far too few to try codes at random.
VERIFY_LIMIT = "30 per minute;300 per day"


def _my_certificate(event_id: int) -> Registration:
    """The viewer's own attended registration of a visible event, with its code."""
    event = queries.event_or_none(event_id) or abort(404)
    require(policies.can_view_event(current_user, event, membership_for(current_user, event.group)),
            hide=True)  # fmt: skip
    registration = registrations.active_registration(event.id, current_user.id)
    require(policies.can_download_certificate(current_user, event, registration))
    if not registration.certificate_code:
        # Attendance recorded before certificates had codes: give it one once.
        issue_certificate_code(registration)
        db.session.commit()
    return registration


def _facts(registration: Registration) -> CertificateFacts:
    locale = str(get_locale() or "nl")
    return certificate_facts(
        registration,
        site_name=current_app.config["SITE_NAME"],
        when_text=local_span(registration.event, current_user, locale=locale),
        locale=locale,
        verify_url=external_url(
            "certificates.verify_certificate", code=registration.certificate_code
        ),
    )


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<int:event_id>/certificate")
@member_required
def show_certificate(event_id: int):
    registration = _my_certificate(event_id)
    facts = _facts(registration)
    html = render_template("events/certificate.html", facts=facts, event=registration.event,
                           issued_at=utcnow())  # fmt: skip
    return _private(Response(html))


@bp.get("/events/<int:event_id>/certificate.pdf")
@member_required
def certificate_pdf(event_id: int):
    from events.certificate import attendance_pdf

    registration = _my_certificate(event_id)
    pdf = attendance_pdf(_facts(registration), _pdf_labels())
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="deelname-{event_id}.pdf"'
    return _private(response)


@bp.get("/certificaten/<code>")
@limiter.limit(VERIFY_LIMIT)
def verify_certificate(code: str):
    registration = certificate_by_code(code) or abort(404)
    event = registration.event
    locale = str(get_locale() or "nl")
    facts = certificate_facts(
        registration,
        site_name=current_app.config["SITE_NAME"],
        when_text=local_span(event, None, locale=locale),
        locale=locale,
        verify_url=external_url("certificates.verify_certificate", code=code),
    )
    return _private(Response(render_template("events/certificate_verify.html", facts=facts)))


def _pdf_labels() -> dict[str, str]:
    return {
        "title": _("Bewijs van deelname"),
        "intro": _("Hierbij verklaren wij dat de onderstaande persoon aanwezig was."),
        "participant": _("Deelnemer"),
        "organisation": _("Organisatie"),
        "event": _("Bijeenkomst"),
        "group": _("Groep"),
        "date": _("Datum"),
        "duration": _("Duur"),
        "hours": _("uur"),
        "register": _("Accreditatieregister"),
        "points": _("Accreditatiepunten"),
        "code": _("Verificatiecode"),
        "verify": _("Controleer de echtheid van dit bewijs op:"),
        "issued": _("afgegeven op %(date)s", date=utcnow().strftime("%Y-%m-%d")),
    }
