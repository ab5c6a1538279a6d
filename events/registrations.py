"""Signing up for events: seats, the waitlist, approval and attendance.

Services flush, never commit; the view (or task) commits once. The capacity guarantee
lives in the database: a seat is taken with a conditional UPDATE of
`events.confirmed_count` (which waits on the row lock another transaction holds), and a
partial unique index allows one active registration per member and event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.db import utcnow
from core.extensions import db
from core.i18n import lazy_gettext as _l
from events.certificates import new_certificate_code
from events.emails import registrations_of, send_registration_email
from events.models import ACTIVE_STATUSES, Event, Registration


class EventError(ValueError):
    """An operation that the event's state does not allow; the message is for people."""


@dataclass(frozen=True)
class RegisterResult:
    """`status`: confirmed | waitlisted | pending | already_registered."""

    status: str
    registration: Registration | None = None


def _take_seat(event_id: int) -> bool:
    """Take one seat if one is free. The condition is checked by the database while it
    holds the row lock, so concurrent requests can never overfill the event."""
    table = Event.__table__
    result = db.session.execute(
        table.update()
        .where(
            table.c.id == event_id,
            or_(table.c.capacity.is_(None), table.c.confirmed_count < table.c.capacity),
        )
        .values(confirmed_count=table.c.confirmed_count + 1)
    )
    return result.rowcount == 1


def _release_seat(event_id: int) -> None:
    table = Event.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == event_id, table.c.confirmed_count > 0)
        .values(confirmed_count=table.c.confirmed_count - 1)
    )


def _lock_event(event_id: int) -> None:
    """Serialise changes to one event's seats (row lock on PostgreSQL; SQLite has one
    writer at a time anyway)."""
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def active_registration(event_id: int, user_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.user_id == user_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def register_for_event(event: Event, user, now: datetime | None = None) -> RegisterResult:
    """Sign `user` up: confirmed while seats remain, otherwise waitlisted; pending when
    the event requires approval. A second active registration is refused by the unique
    index and answered as "already registered"."""
    from events.policies import registration_is_open

    now = now or utcnow()
    if not registration_is_open(event, now):
        raise EventError(str(_l("Aanmelden voor deze bijeenkomst is niet (meer) mogelijk.")))
    try:
        with db.session.begin_nested():
            if event.requires_approval:
                status = "pending"
            else:
                status = "confirmed" if _take_seat(event.id) else "waitlisted"
            # Stamped after the seat decision: the waitlist follows the order of the lock.
            stamp = utcnow()
            registration = Registration(
                event_id=event.id, user_id=user.id, status=status,
                created_at=stamp, updated_at=stamp,
            )  # fmt: skip
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        return RegisterResult("already_registered", active_registration(event.id, user.id))
    db.session.expire(event, ["confirmed_count"])
    send_registration_email(
        registration,
        "events/registered",
        _l("Aanmelding: %(title)s", title=event.title),
        with_calendar=status == "confirmed",
        position=waitlist_position(registration) if status == "waitlisted" else None,
    )
    return RegisterResult(status, registration)


def unregister_from_event(event: Event, user, now: datetime | None = None) -> Registration | None:
    """Withdraw before the start. A freed seat goes to the first waitlisted member in
    the same transaction; that member is emailed. Returns the cancelled registration."""
    now = now or utcnow()
    if now >= event.starts_at:
        raise EventError(str(_l("De bijeenkomst is al begonnen; afmelden kan niet meer.")))
    _lock_event(event.id)
    registration = active_registration(event.id, user.id)
    if registration is None:
        return None
    was_confirmed = registration.status == "confirmed"
    registration.status = "cancelled"
    registration.updated_at = now
    db.session.flush()
    if was_confirmed:
        _release_seat(event.id)
        promote_from_waitlist(event, now)
    db.session.expire(event, ["confirmed_count"])
    return registration


def promote_from_waitlist(event: Event, now: datetime | None = None) -> list[Registration]:
    """Give free seats to waitlisted members, first come first served, and email them."""
    now = now or utcnow()
    promoted: list[Registration] = []
    while True:
        candidate = db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == "waitlisted")
            .order_by(Registration.created_at, Registration.id)
            .limit(1)
            .with_for_update()
        ).first()
        if candidate is None or not _take_seat(event.id):
            break
        candidate.status = "confirmed"
        candidate.promoted_at = candidate.updated_at = now
        db.session.flush()
        promoted.append(candidate)
        db.session.expire(event, ["confirmed_count"])
        send_registration_email(
            candidate,
            "events/promoted",
            _l("Er is een plaats vrij: %(title)s", title=event.title),
            key=f"event-promoted:{candidate.id}",
        )
    db.session.expire(event, ["confirmed_count"])
    return promoted


def approve_registration(registration: Registration, actor) -> str:
    """A coordinator accepts a pending registration: confirmed if a seat is free,
    otherwise first-come on the waitlist. Returns the new status."""
    if registration.status != "pending":
        return registration.status
    _lock_event(registration.event_id)
    registration.status = "confirmed" if _take_seat(registration.event_id) else "waitlisted"
    registration.decided_by_id = getattr(actor, "id", None)
    registration.updated_at = utcnow()
    db.session.flush()
    db.session.expire(registration.event, ["confirmed_count"])
    send_registration_email(
        registration,
        "events/approved",
        _l("Aanmelding goedgekeurd: %(title)s", title=registration.event.title),
        with_calendar=registration.status == "confirmed",
        key=f"event-approved:{registration.id}",
    )
    return registration.status


def decline_registration(registration: Registration, actor) -> None:
    if registration.status != "pending":
        return
    registration.status = "declined"
    registration.decided_by_id = getattr(actor, "id", None)
    registration.updated_at = utcnow()
    db.session.flush()
    send_registration_email(
        registration,
        "events/declined",
        _l("Aanmelding niet goedgekeurd: %(title)s", title=registration.event.title),
        with_calendar=False,
        key=f"event-declined:{registration.id}",
    )


def mark_attendance(event: Event, attended_user_ids: set[int]) -> int:
    """Record who came: every confirmed participant is marked present or absent; those
    present get the verification code their certificate will carry."""
    count = 0
    for registration in registrations_of(event, ("confirmed",)):
        registration.attended = registration.user_id in attended_user_ids
        if registration.attended and not registration.certificate_code:
            registration.certificate_code = new_certificate_code()
        count += registration.attended
    db.session.flush()
    return count


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line."""
    if registration.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(db.func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == "waitlisted",
            or_(
                Registration.created_at < registration.created_at,
                (Registration.created_at == registration.created_at)
                & (Registration.id < registration.id),
            ),
        )
    )
    return int(ahead or 0) + 1


def cancel_upcoming_registrations(sender=None, *, user, **extra) -> dict[str, int]:
    """`account_deleting` receiver: withdraw from events that have not started; a freed
    seat goes to the waitlist."""
    now = utcnow()
    upcoming = db.session.scalars(
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES),
            Event.starts_at > now,
        )
        .distinct()
    )
    cancelled = 0
    for event in list(upcoming):
        if unregister_from_event(event, user, now) is not None:
            cancelled += 1
    return {"event_registrations_cancelled": cancelled}
