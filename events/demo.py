"""Demo events: a network meeting, intervisie, a training with SKJ points, a webinar
(one nearly full, some with registrations). Idempotent: events are matched by title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from auth.models import User
from core.db import utcnow
from core.extensions import db
from core.taxonomy import EventType
from core.text import render_markdown
from events.certificates import new_certificate_code
from events.models import Event, Registration
from events.timeparse import to_utc
from groups.models import Group, Membership


@dataclass(frozen=True)
class DemoEvent:
    title: str
    type_key: str
    group_slugs: tuple[str, ...]
    days_ahead: int
    start: time
    hours: float
    capacity: int | None
    registrations: int
    description: str
    location: str = ""
    online_url: str = ""
    register: str = ""
    points: int | None = None
    requires_approval: bool = False
    chatham_house: bool = False


DEMO_EVENTS = (
    DemoEvent(
        "Regionale netwerkbijeenkomst: polarisatie in de wijk",
        "netwerkbijeenkomst",
        ("regio-utrecht", "online-radicalisering"),
        12,
        time(14, 0),
        3,
        40,
        9,
        "Professionals uit onderwijs, jongerenwerk, politie en zorg delen wat zij zien "
        "in de wijk.\n\n**Programma**\n\n- Inloop en kennismaking\n- Casus uit de praktijk\n"
        "- Wat werkt in de samenwerking met het Zorg- en Veiligheidshuis?",
        location="Stadskantoor Utrecht, Stadsplateau 1, Utrecht",
    ),
    DemoEvent(
        "Intervisie: twijfel over een melding",
        "intervisie",
        ("intervisie-utrecht", "casuistiek-rotterdam-rijnmond"),
        5,
        time(9, 30),
        2,
        8,
        7,
        "Vaste intervisiegroep volgens de incidentmethode. Vertrouwelijk: breng een "
        "casus mee zonder namen of herleidbare details.",
        location="Vergaderzaal 2.14, Catharijnesingel 59, Utrecht",
        chatham_house=True,
        requires_approval=True,
    ),
    DemoEvent(
        "Training: signaleren van radicalisering (SKJ-geaccrediteerd)",
        "training",
        ("onderwijs-en-jongerenwerk", "regio-rotterdam-rijnmond"),
        21,
        time(9, 0),
        7,
        16,
        15,
        "Een dag training over signalen, tegensignalen en het gesprek met de jongere en "
        "het gezin. Geaccrediteerd door SKJ.",
        location="Jeugdcentrum De Brug, Zuidplein 10, Rotterdam",
        register="SKJ",
        points=6,
    ),
    DemoEvent(
        "Webinar: online radicalisering en gaming-platforms",
        "webinar",
        ("online-radicalisering", "regio-amsterdam-amstelland"),
        9,
        time(15, 30),
        1.5,
        None,
        4,
        "Een uur over wat jongeren online tegenkomen en hoe je het gesprek aangaat.",
        online_url="https://webinar.example.org/jep-online",
    ),
    DemoEvent(
        "Netwerkbijeenkomst: terugblik op het voorjaar",
        "netwerkbijeenkomst",
        ("regio-rotterdam-rijnmond", "online-radicalisering"),
        -30,
        time(14, 0),
        2,
        30,
        6,
        "Een terugblik op de gesprekken van het voorjaar.",
        location="Stadhuis Rotterdam, Coolsingel 40, Rotterdam",
    ),
)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create the demo events in the demo groups that exist (idempotent)."""
    groups = {g.slug: g for g in db.session.scalars(select(Group))}
    if not groups:
        return []
    types = {t.key: t for t in db.session.scalars(select(EventType))}
    existing = set(db.session.scalars(select(Event.title)))
    today = utcnow().date()
    for spec in DEMO_EVENTS:
        if spec.title in existing:
            continue
        group = next((groups[s] for s in spec.group_slugs if s in groups), None)
        group = group or next(iter(groups.values()))
        coordinator = db.session.scalar(
            select(Membership.user_id).where(
                Membership.group_id == group.id, Membership.role == "coordinator"
            )
        )
        day = today + timedelta(days=spec.days_ahead)
        starts_at = to_utc(datetime.combine(day, spec.start), "Europe/Amsterdam", "summer")
        event = Event(
            group_id=group.id, title=spec.title, description_source=spec.description,
            description_html=str(render_markdown(spec.description)),
            event_type_id=types[spec.type_key].id if spec.type_key in types else None,
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=spec.hours),
            location=spec.location, online_url=spec.online_url, capacity=spec.capacity,
            registration_deadline=starts_at - timedelta(days=1),
            requires_approval=spec.requires_approval, accreditation_register=spec.register,
            accreditation_points=spec.points, chatham_house=spec.chatham_house,
            created_by_id=coordinator,
        )  # fmt: skip
        db.session.add(event)
        db.session.flush()
        _add_registrations(event, spec, coordinator)
    db.session.flush()
    return []


def _add_registrations(event: Event, spec: DemoEvent, coordinator_id: int | None) -> None:
    """Members of the group first, then other active members; no email is sent."""
    stmt = (
        select(User)
        .outerjoin(
            Membership,
            (Membership.user_id == User.id) & (Membership.group_id == event.group_id),
        )
        .where(User.status == "active", User.id != (coordinator_id or 0))
        .order_by(Membership.id.is_(None), User.id)
        .limit(spec.registrations)
    )
    if event.group.visibility != "members":
        # Closed and secret groups: only their own members may see the event.
        stmt = stmt.where(Membership.id.is_not(None))
    members = list(db.session.scalars(stmt))
    now = utcnow()
    past = event.starts_at < now
    for n, user in enumerate(members):
        if spec.requires_approval and n >= len(members) - 2:
            status = "pending"
        elif event.capacity is None or event.confirmed_count < event.capacity:
            status = "confirmed"
            event.confirmed_count += 1
        else:
            status = "waitlisted"
        stamp = min(now, event.starts_at) - timedelta(days=3, minutes=len(members) - n)
        attended = (n % 4 != 3) if past and status == "confirmed" else None
        db.session.add(
            Registration(
                event_id=event.id, user_id=user.id, status=status, created_at=stamp,
                updated_at=stamp, attended=attended,
                certificate_code=new_certificate_code() if attended else None,
            )
        )  # fmt: skip
