"""Read-side selects for events, with explicit eager loading (no N+1 on lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import joinedload, selectinload

from core.db import utcnow
from core.extensions import db
from events.models import ACTIVE_STATUSES, Event, Registration
from groups.models import Group, Membership
from groups.queries import my_group_ids, readable_group_ids


@dataclass(frozen=True)
class EventItem:
    """An event as it appears in a list, with the viewer's own registration."""

    event: Event
    registration: Registration | None

    @property
    def my_status(self) -> str | None:
        return self.registration.status if self.registration else None


def _with_group(stmt: Select) -> Select:
    return stmt.options(
        joinedload(Event.group).joinedload(Group.region), joinedload(Event.event_type)
    )


def my_registrations(user, event_ids) -> dict[int, Registration]:
    """The viewer's active (or attended) registration per event id, in one query."""
    ids = list(event_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.scalars(
        select(Registration).where(
            Registration.user_id == user.id,
            Registration.event_id.in_(ids),
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )
    return {row.event_id: row for row in rows}


def _items(user, events: list[Event]) -> list[EventItem]:
    mine = my_registrations(user, [event.id for event in events])
    return [EventItem(event, mine.get(event.id)) for event in events]


def list_events(
    user,
    *,
    when: str = "upcoming",
    region_id: int | None = None,
    event_type_id: int | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = 25,
):
    """Events the user may see: upcoming ones (my groups first, then my region, then
    by date) or past ones (newest first). Returns (items, total)."""
    now = now or utcnow()
    stmt = select(Event).join(Event.group).where(Event.group_id.in_(readable_group_ids(user)))
    if region_id:
        stmt = stmt.where(Group.region_id == region_id)
    if event_type_id:
        stmt = stmt.where(Event.event_type_id == event_type_id)
    if when == "past":
        stmt = stmt.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        mine_first = case((Event.group_id.in_(my_group_ids(user)), 0), else_=1)
        region_first = case(
            (and_(Group.region_id.is_not(None), Group.region_id == user.region_id), 0), else_=1
        )
        stmt = stmt.where(Event.ends_at >= now).order_by(
            mine_first, region_first, Event.starts_at, Event.id
        )
    total = db.session.scalar(select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    events = list(
        db.session.scalars(
            _with_group(stmt).limit(per_page).offset((max(page, 1) - 1) * per_page)
        ).unique()
    )
    return _items(user, events), int(total or 0)


def upcoming_events_for_group(group, user, limit: int = 5) -> list[EventItem]:
    """The group's next events (for the group page), with the viewer's status."""
    events = list(
        db.session.scalars(
            _with_group(
                select(Event)
                .where(Event.group_id == group.id, Event.ends_at >= utcnow())
                .order_by(Event.starts_at, Event.id)
                .limit(limit)
            )
        ).unique()
    )
    return _items(user, events)


def my_next_events(user, limit: int = 5) -> list[EventItem]:
    """The next events the user registered for (for the dashboard)."""
    if not getattr(user, "is_authenticated", False):
        return []
    stmt = (
        select(Event, Registration)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES),
            Event.ends_at >= utcnow(),
            Event.group_id.in_(readable_group_ids(user)),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .options(joinedload(Event.group), joinedload(Event.event_type))
    )
    return [EventItem(event, registration) for event, registration in db.session.execute(stmt)]


def group_by_slug(slug: str) -> Group | None:
    return db.session.scalar(select(Group).where(Group.slug == slug))


def event_or_none(event_id: int) -> Event | None:
    return db.session.scalar(_with_group(select(Event).where(Event.id == event_id)))


def attendees(event: Event) -> list[Registration]:
    """Every registration of the event with the member and their sector (one query)."""
    from auth.models import User

    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id)
            .options(selectinload(Registration.user).joinedload(User.sector))
            .order_by(
                case(
                    (Registration.status == "confirmed", 0),
                    (Registration.status == "pending", 1),
                    (Registration.status == "waitlisted", 2),
                    else_=3,
                ),
                Registration.created_at,
                Registration.id,
            )
        )
    )


def group_events(group, *, since: datetime | None = None) -> list[Event]:
    stmt = select(Event).where(Event.group_id == group.id).order_by(Event.starts_at)
    if since is not None:
        stmt = stmt.where(Event.ends_at >= since)
    return list(db.session.scalars(_with_group(stmt)).unique())


def feed_events(user, *, since: datetime) -> list[Event]:
    """The personal feed: events I registered for and those of my groups, limited to
    groups I may read (a feed never shows what its owner may not see)."""
    registered = select(Registration.event_id).where(
        Registration.user_id == user.id, Registration.status.in_(ACTIVE_STATUSES)
    )
    stmt = (
        select(Event)
        .where(
            Event.group_id.in_(readable_group_ids(user)),
            or_(Event.id.in_(registered), Event.group_id.in_(my_group_ids(user))),
            Event.ends_at >= since,
        )
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(_with_group(stmt)).unique())


def managed_group_ids(user) -> set[int] | None:
    """Groups whose events `user` manages; None means all (admins)."""
    if getattr(user, "is_admin", False):
        return None
    return set(
        db.session.scalars(
            select(Membership.group_id).where(
                Membership.user_id == user.id,
                Membership.status == "active",
                Membership.role == "coordinator",
            )
        )
    )
