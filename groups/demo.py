"""Demo content for `flask seed demo`: members from twelve sectors in five regions and
thematic, closed and secret groups (the conversations are in forum/demo.py).
Idempotent: a second run adds nothing and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from auth.models import User
from auth.services import create_user, find_user_by_email
from core.extensions import db
from core.taxonomy import Function, Region, Sector
from groups.models import Group, Membership
from groups.services import NewGroup, create_group, ensure_regional_groups, recount_members

# A published demo password on purpose: demo accounts exist only on demo installations.
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105
DOMAIN = "demo.platformjep.nl"


@dataclass(frozen=True)
class DemoMember:
    key: str  # the part before @demo.platformjep.nl
    name: str
    organisation: str
    sector: str
    function: str
    region: str
    bio: str = ""
    role: str = "member"


MEMBERS = [
    DemoMember("fatima", "Fatima El Amrani", "Stichting Jongerenwerk Zuid", "jongerenwerk", "jongerenwerker", "rotterdam-rijnmond",
               "Ambulant jongerenwerker, vooral op straat en in het buurthuis. Gespecialiseerd in gesprekken over identiteit en erbij horen."),
    DemoMember("jeroen", "Jeroen de Vries", "Politie eenheid Rotterdam", "politie", "wijkagent", "rotterdam-rijnmond",
               "Wijkagent in twee wijken met veel jongeren. Aanspreekpunt radicalisering binnen mijn basisteam."),
    DemoMember("marloes", "Marloes van Dijk", "Scholengemeenschap De Maas", "onderwijs", "zorgcoordinator", "rotterdam-rijnmond",
               "Zorgcoördinator vmbo en havo onderbouw."),
    DemoMember("thomas", "Thomas Jansen", "Gemeente Rotterdam", "gemeente-oov", "netwerkregisseur", "rotterdam-rijnmond",
               "Netwerkregisseur polarisatie en radicalisering. Je kunt altijd anoniem met mij sparren."),
    DemoMember("sanne", "Sanne Bakker", "Vakcollege Utrecht-Oost", "onderwijs", "docent", "utrecht",
               "Docent maatschappijleer en mentor in de bovenbouw."),
    DemoMember("ingrid", "Ingrid Visser", "GGZ Centraal Jeugd", "ggz", "gedragswetenschapper", "utrecht",
               "GZ-psycholoog in de jeugd-ggz, met veel ervaring met angst en somberheid bij pubers."),
    DemoMember("anouk", "Anouk Smit", "Zorg- en Veiligheidshuis Regio Utrecht", "zorg-veiligheidshuis", "aandachtsfunctionaris", "utrecht",
               "Procesregisseur radicalisering bij het Zorg- en Veiligheidshuis."),
    DemoMember("esther", "Esther Koster", "GGD regio Utrecht", "jgz-cjg", "jgz-professional", "utrecht",
               "Jeugdverpleegkundige op middelbare scholen."),
    DemoMember("mehmet", "Mehmet Yilmaz", "Jeugdhulp Haaglanden", "jeugdhulp", "jeugdhulpverlener", "haaglanden",
               "Ambulant jeugdhulpverlener in gezinnen met pubers."),
    DemoMember("rachid", "Rachid Bouzian", "Sportvereniging Laakkwartier", "sport", "trainer-coach", "haaglanden",
               "Jeugdcoördinator en trainer bij een amateurvoetbalvereniging."),
    DemoMember("lisa", "Lisa Hendriks", "Jeugdreclassering Amsterdam", "jeugdreclassering", "jeugdreclasseerder", "amsterdam-amstelland",
               "Jeugdreclasseerder, onder meer voor jongeren met een extremistisch delict."),
    DemoMember("youssef", "Youssef Amrani", "Moskee-stichting Al Wahda", "religieuze-organisatie", "geestelijk-voorganger", "amsterdam-amstelland",
               "Imam en jongerenbegeleider. Organiseert gespreksavonden voor ouders."),
    DemoMember("pieter", "Pieter Mulder", "Wijkteam Groningen-Oost", "wijkteam", "maatschappelijk-werker", "groningen",
               "Maatschappelijk werker in het wijkteam."),
    DemoMember("beheer", "Team Platform JEP", "Platform JEP", "kennisinstituut", "onderzoeker", "landelijk",
               "Beheer van het platform: aanmeldingen, groepen en coördinatoren.", role="admin"),
    DemoMember("moderator", "Moderatie Platform JEP", "Platform JEP", "kennisinstituut", "onderzoeker", "landelijk",
               "Moderatie van meldingen over berichten.", role="moderator"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoGroup:
    slug: str
    name: str
    name_en: str
    description: str
    kind: str
    visibility: str
    region: str | None
    coordinators: tuple[str, ...]
    members: tuple[str, ...]
    requested: tuple[str, ...] = ()
    invited: tuple[str, ...] = ()


GROUPS = [
    DemoGroup(
        "online-radicalisering", "Online radicalisering", "Online radicalisation",
        "Wat jongeren online tegenkomen – van complotfilmpjes tot extremistische Telegramkanalen en incel-fora – en hoe je daarover in gesprek gaat. Beschrijf wat je ziet; deel geen extremistisch materiaal zelf.",
        "thematic", "members", None, ("anouk",),
        ("ingrid", "rachid", "lisa", "sanne", "esther", "fatima", "jeroen"),
    ),
    DemoGroup(
        "onderwijs-en-jongerenwerk", "Onderwijs en jongerenwerk", "Education and youth work",
        "Voor docenten, zorgcoördinatoren en jongerenwerkers die samen optrekken: afspraken, lesideeën en wat werkt in en rond school.",
        "thematic", "members", None, ("sanne", "fatima"),
        ("marloes", "thomas", "esther", "mehmet"),
    ),
    DemoGroup(
        "casuistiek-rotterdam-rijnmond", "Casuïstiek Rotterdam-Rijnmond", "Case consultation Rotterdam-Rijnmond",
        "Besloten groep voor het bespreken van zorgen rond jongeren in Rotterdam-Rijnmond, vóórdat iets een casus in het Zorg- en Veiligheidshuis wordt. Altijd anoniem: geen namen, scholen, straten of andere herleidbare details.",
        "thematic", "closed", "rotterdam-rijnmond", ("thomas",),
        ("fatima", "jeroen", "marloes"), requested=("mehmet",),
    ),
    DemoGroup(
        "intervisie-utrecht", "Intervisie Utrecht", "Peer supervision Utrecht",
        "Vaste intervisiegroep van zes professionals uit de regio Utrecht. Wat hier besproken wordt, blijft hier.",
        "intervision", "secret", "utrecht", ("anouk",),
        ("sanne", "ingrid"), invited=("esther",),
    ),
]  # fmt: skip


# --- seeding ------------------------------------------------------------------------


def seed_demo() -> list[tuple[str, str, str]]:
    """Add the demo members, groups and memberships (flushes only); the forum's demo
    adds the conversations (forum/demo.py)."""
    ensure_regional_groups()
    users = {member.key: _ensure_member(member) for member in MEMBERS}
    admin = users["beheer"]
    groups = {group.slug: group for group in db.session.scalars(select(Group))}
    for spec in GROUPS:
        groups[spec.slug] = _ensure_group(spec, admin, groups.get(spec.slug))
    coordinator_of: dict[str, list[str]] = {}
    for spec in GROUPS:
        group = groups[spec.slug]
        for key in spec.coordinators:
            _ensure_membership(group, users[key], role="coordinator")
            coordinator_of.setdefault(key, []).append(spec.name)
        for key in spec.members:
            _ensure_membership(group, users[key])
        for key in spec.requested:
            _ensure_membership(group, users[key], status="requested")
        for key in spec.invited:
            _ensure_membership(group, users[key], status="invited", decided_by=users[key])
    for member in MEMBERS:
        regional = groups.get(f"regio-{member.region}")
        if regional is not None and member.role == "member":
            _ensure_membership(regional, users[member.key])
    db.session.flush()
    for group in groups.values():
        recount_members(group)

    logins = []
    for member in MEMBERS:
        role = member.role
        if member.key in coordinator_of:
            role = "member, coordinator of " + ", ".join(coordinator_of[member.key])
        logins.append((demo_email(member.key), DEMO_PASSWORD, role))
    return logins


def demo_email(key: str) -> str:
    return f"{key}@{DOMAIN}"


def _term_ids(model) -> dict[str, int]:
    return {term.key: term.id for term in db.session.scalars(select(model))}


def _ensure_member(spec: DemoMember) -> User:
    user = find_user_by_email(demo_email(spec.key))
    if user is None:
        user, _ = create_user(demo_email(spec.key), spec.name, spec.role, DEMO_PASSWORD)
        sectors, functions, regions = _term_ids(Sector), _term_ids(Function), _term_ids(Region)
        user.organisation = spec.organisation
        user.sector_id = sectors[spec.sector]
        user.function_id = functions[spec.function]
        user.region_id = regions[spec.region]
        user.bio = spec.bio
        user.digest_opt_in = True
        db.session.flush()
    return user


def _ensure_group(spec: DemoGroup, admin: User, group: Group | None) -> Group:
    if group is not None:
        return group
    region_id = _term_ids(Region)[spec.region] if spec.region else None
    return create_group(
        NewGroup(
            name=spec.name,
            name_en=spec.name_en,
            slug=spec.slug,
            description=spec.description,
            kind=spec.kind,
            visibility=spec.visibility,
            region_id=region_id,
        ),
        admin,
    )


def _ensure_membership(
    group: Group, user: User, *, role: str = "member", status: str = "active", decided_by=None
) -> None:
    exists = db.session.scalar(
        select(Membership.id).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )
    if exists is None:
        db.session.add(
            Membership(
                group_id=group.id,
                user_id=user.id,
                role=role,
                status=status,
                decided_by_id=getattr(decided_by, "id", None),
            )
        )
        db.session.flush()
