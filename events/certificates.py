"""Proof of attendance: the facts an accreditation body asks for, and their verification.

A participant marked as attended gets a certificate with a random verification code.
Anyone holding the certificate can open `/certificaten/<code>` to check it is genuine;
that page shows only the minimal facts (name, event, date, hours), nothing else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.extensions import db
from events.models import Event, Registration

#: Crockford's base 32: no I, L, O or U, so a code typed over from paper is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: 24 symbols of 5 bits: 120 bits, so codes can be neither guessed nor listed.
CODE_LENGTH = 24
CODE_MAX_LENGTH = 32


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_certificate_code(registration: Registration) -> str:
    """The registration's verification code, created the first time it is needed."""
    if not registration.certificate_code:
        registration.certificate_code = new_certificate_code()
        db.session.flush()
    return registration.certificate_code


def certificate_by_code(code: str) -> Registration | None:
    """The attended registration a code belongs to, or None (also for withdrawn ones:
    attendance unmarked, the event cancelled, the account erased)."""
    if not code or len(code) > CODE_MAX_LENGTH:
        return None
    code = code.strip().upper()
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.certificate_code == code)
        .options(joinedload(Registration.event).joinedload(Event.group),
                 joinedload(Registration.user))
    )  # fmt: skip
    if registration is None or not is_valid_certificate(registration):
        return None
    return registration


def is_valid_certificate(registration: Registration) -> bool:
    return (
        registration.attended is True
        and registration.status == "confirmed"
        and registration.event.status == "scheduled"
        and registration.user.status not in {"deleted", "rejected"}
    )


def duration_hours(event: Event) -> Decimal:
    """Hours of the event, rounded to a quarter: what registers count (2.5, not 2:30)."""
    quarters = round(event.duration_minutes / 15)
    return Decimal(quarters) / 4


def format_hours(event: Event, locale: str) -> str:
    return format_decimal(duration_hours(event), format="#,##0.##", locale=locale)


@dataclass(frozen=True)
class CertificateFacts:
    """What the certificate states; the same for the page, the PDF and the check."""

    site_name: str
    participant: str
    organisation: str
    event_title: str
    group_name: str
    when_text: str
    hours_text: str
    accreditation_register: str
    accreditation_points: int | None
    code: str
    verify_url: str

    @property
    def has_accreditation(self) -> bool:
        return bool(self.accreditation_register) or self.accreditation_points is not None


def certificate_facts(
    registration: Registration, *, site_name: str, when_text: str, locale: str, verify_url: str
) -> CertificateFacts:
    event = registration.event
    return CertificateFacts(
        site_name=site_name,
        participant=registration.user.display_name,
        organisation=registration.user.organisation or "",
        event_title=event.title,
        group_name=event.group.label,
        when_text=when_text,
        hours_text=format_hours(event, locale),
        accreditation_register=event.accreditation_register,
        accreditation_points=event.accreditation_points,
        code=registration.certificate_code or "",
        verify_url=verify_url,
    )
