"""Read-side selects for events, with explicit eager loading (no N+1 on lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, func, null, or_, select
from sqlalchemy.orm import joinedload, selectinload

from core.db import utcnow
from core.extensions import db
from core.i18n import current_language
from core.taxonomy import EventType
from events.models import ACTIVE_STATUSES, Event, Registration
from groups.models import Group, Membership
from groups.queries import my_group_ids, readable_group_ids


@dataclass(frozen=True, slots=True)
class EventItem:
    """An event as it appears in a list: plain values, the labels in the viewer's
    language and the viewer's own registration status (None when not registered)."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    capacity: int | None
    confirmed_count: int
    group_label: str
    type_label: str | None
    my_status: str | None


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


def _item_select(user, *, registered_only: bool = False) -> Select:
    """Columns for `EventItem` rows with the viewer's status in the same statement.

    At most one active registration per member and event (a unique index), so the
    outer join never multiplies rows."""
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.ends_at,
            Event.status,
            Event.capacity,
            Event.confirmed_count,
            Group.name,
            Group.name_en,
            EventType.name_nl,
            EventType.name_en.label("type_name_en"),
        )
        .join(Group, Group.id == Event.group_id)
        .outerjoin(EventType, EventType.id == Event.event_type_id)
    )
    if not getattr(user, "is_authenticated", False):
        return stmt.add_columns(null().label("my_status"))
    mine = and_(
        Registration.event_id == Event.id,
        Registration.user_id == user.id,
        Registration.status.in_(ACTIVE_STATUSES),
    )
    if registered_only:
        return stmt.join(Registration, mine).add_columns(Registration.status.label("my_status"))
    return stmt.outerjoin(Registration, mine).add_columns(Registration.status.label("my_status"))


def _items(rows) -> list[EventItem]:
    # The same choice as Group.label and the taxonomy's label, made once per list.
    english = current_language() == "en"
    return [
        EventItem(
            id=row.id,
            title=row.title,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=row.status,
            capacity=row.capacity,
            confirmed_count=row.confirmed_count,
            group_label=row.name_en if english and row.name_en else row.name,
            type_label=None
            if row.name_nl is None
            else (row.type_name_en if english else row.name_nl),
            my_status=row.my_status,
        )
        for row in rows
    ]


def list_events(
    user,
    *,
    when: str = "upcoming",
    region_id: int | None = None,
    event_type_id: int | None = None,
    now: datetime | None = None,
    page: int = 1,
    per_page: int = 25,
) -> tuple[list[EventItem], int]:
    """Events the user may see: upcoming ones (my groups first, then my region, then
    by date) or past ones (newest first). Returns (items, total).

    One statement: the total comes from a window function over the same rows; only a
    page past the end (no rows to carry it) costs a second one."""
    now = now or utcnow()
    where = [Event.group_id.in_(readable_group_ids(user))]
    if region_id:
        where.append(Group.region_id == region_id)
    if event_type_id:
        where.append(Event.event_type_id == event_type_id)
    if when == "past":
        where.append(Event.ends_at < now)
        order = (Event.starts_at.desc(), Event.id.desc())
    else:
        where.append(Event.ends_at >= now)
        mine_first = case((Event.group_id.in_(my_group_ids(user)), 0), else_=1)
        region_first = case(
            (and_(Group.region_id.is_not(None), Group.region_id == user.region_id), 0), else_=1
        )
        order = (mine_first, region_first, Event.starts_at, Event.id)
    page = max(page, 1)
    rows = db.session.execute(
        _item_select(user)
        .add_columns(func.count().over().label("total"))
        .where(*where)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if rows:
        return _items(rows), int(rows[0].total)
    if page == 1:
        return [], 0
    total = db.session.scalar(
        select(func.count())
        .select_from(Event)
        .join(Group, Group.id == Event.group_id)
        .where(*where)
    )
    return [], int(total or 0)


def upcoming_events_for_group(group, user, limit: int = 5) -> list[EventItem]:
    """The group's next events (for the group page), with the viewer's status."""
    rows = db.session.execute(
        _item_select(user)
        .where(Event.group_id == group.id, Event.ends_at >= utcnow())
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return _items(rows)


def my_next_events(user, limit: int = 5) -> list[EventItem]:
    """The next events the user registered for (for the dashboard)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = db.session.execute(
        _item_select(user, registered_only=True)
        .where(Event.ends_at >= utcnow(), Event.group_id.in_(readable_group_ids(user)))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return _items(rows)


def group_by_slug(slug: str) -> Group | None:
    return db.session.scalar(select(Group).where(Group.slug == slug))


def event_or_none(event_id: int) -> Event | None:
    return db.session.scalar(_with_group(select(Event).where(Event.id == event_id)))


def event_for_viewer(
    event_id: int, user
) -> tuple[Event, Membership | None, Registration | None] | None:
    """The event (group and type loaded), the viewer's membership of its group and the
    viewer's active registration for it: one statement for what the event page needs.

    Both outer joins meet at most one row (unique membership per group and member,
    unique active registration per event and member)."""
    row = db.session.execute(
        _event_for_viewer_statement(), {"event_id": event_id, "user_id": user.id}
    ).first()
    return (row[0], row[1], row[2]) if row else None


@cache
def _event_for_viewer_statement():
    """Built once: the event and the member are bound parameters."""
    user_id = bindparam("user_id")
    return (
        select(Event, Membership, Registration)
        .outerjoin(
            Membership,
            and_(Membership.group_id == Event.group_id, Membership.user_id == user_id),
        )
        .outerjoin(
            Registration,
            and_(
                Registration.event_id == Event.id,
                Registration.user_id == user_id,
                Registration.status.in_(ACTIVE_STATUSES),
            ),
        )
        .where(Event.id == bindparam("event_id"))
        .options(joinedload(Event.group), joinedload(Event.event_type))
    )


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
