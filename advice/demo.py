"""Demo content for the advice desk: an adviser, a sparring pool and a handful of
questions as professionals would ask them (anonymous: no young person can be traced).
Idempotent: the adviser is found by email, questions by subject, partners by member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from advice import services, sparring
from advice.models import AdviceQuestion
from auth.models import User
from auth.services import create_user, find_user_by_email
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Function, Region, Sector, Tag
from groups.demo import DEMO_PASSWORD, DOMAIN

ADVISER_EMAIL = f"adviseur@{DOMAIN}"

# member key -> (themes, sectors, regions, availability)
PARTNERS = {
    "thomas": (("radicalisering", "lokale-aanpak", "casusoverleg"), ("gemeente-oov", "onderwijs"), ("rotterdam-rijnmond",), "maandelijks"),
    "anouk": (("radicalisering", "samenwerking-zorg-veiligheid", "informatie-delen"), ("zorg-veiligheidshuis", "jeugdhulp"), ("utrecht",), "wekelijks"),
    "youssef": (("jihadisme", "ouders-gezin", "sleutelfiguren"), ("religieuze-organisatie", "jongerenwerk"), ("amsterdam-amstelland",), "af_en_toe"),
    "ingrid": (("gesprek-met-jongere", "online-radicalisering"), ("ggz", "onderwijs"), ("utrecht",), "maandelijks"),
}  # fmt: skip


@dataclass(frozen=True)
class DemoQuestion:
    asker: str
    subject: str
    body: str
    urgency: str
    kind: str
    theme: str
    days_ago: int
    answer: str = ""
    reply: str = ""
    note: str = ""
    closed: bool = False


QUESTIONS = (
    DemoQuestion(
        "sanne",
        "Leerling deelt filmpjes van een rechts-extremistische influencer",
        "**Situatie**\nEen leerling uit de bovenbouw deelt in de klasgroep filmpjes van een "
        "influencer die migranten 'indringers' noemt.\n\n**Waargenomen feiten**\nHij is "
        "stiller geworden en zit in de pauze alleen met zijn telefoon.\n\n**Tegensignalen**\n"
        "Hij sport nog wekelijks en heeft een goede band met zijn mentor.\n\n**Mijn vraag**\n"
        "Hoe begin ik het gesprek zonder dat hij dichtklapt?\n\n**Wat heb ik al gedaan**\n"
        "Overlegd met de zorgcoördinator.",
        "normaal",
        "adviseur",
        "rechts-extremisme",
        1,
    ),
    DemoQuestion(
        "pieter",
        "Vader uit zich dreigend over de gemeente",
        "**Situatie**\nIn een huisbezoek zegt een vader dat 'ze bij de gemeente een lesje "
        "moeten leren' en dat hij 'weet waar de wethouder woont'.\n\n**Mijn vraag**\nIs dit "
        "een melding waard, en bij wie?",
        "spoed",
        "adviseur",
        "anti-institutioneel-extremisme",
        3,
        answer="Neem dit serieus: een concrete verwijzing naar een persoon en een woonplek is "
        "een reden om vandaag te overleggen met je leidinggevende en de wijkagent. De "
        "meldcode en het Zorg- en Veiligheidshuis helpen bij de weging.",
        note="Wijkagent in deze regio is bereikbaar via het basisteam; check of er al een casus loopt.",
    ),
    DemoQuestion(
        "rachid",
        "Jongen in de selectie zoekt steeds het conflict met andere geloven",
        "**Situatie**\nEen speler (15) maakt in de kleedkamer opmerkingen over 'ongelovigen' "
        "en weigert een teamgenoot een hand te geven.\n\n**Mijn vraag**\nWie kan met mij "
        "meedenken over hoe ik dit als trainer aanpak?",
        "normaal",
        "sparringpartner",
        "jihadisme",
        2,
    ),
    DemoQuestion(
        "marloes",
        "Hoe deel ik zorgen met de wijkagent zonder privacy te schenden?",
        "**Mijn vraag**\nMag ik als zorgcoördinator zorgen over een leerling met de wijkagent "
        "bespreken, en wat mag ik dan wel en niet vertellen?",
        "normaal",
        "adviseur",
        "informatie-delen",
        20,
        answer="Ja, binnen het casusoverleg van het Zorg- en Veiligheidshuis kan dat met een "
        "convenant. Daarbuiten: deel alleen wat nodig is, bij voorkeur eerst anoniem.",
        reply="Dank, we brengen het in bij het casusoverleg.",
        closed=True,
    ),
)


def _ensure_adviser() -> User:
    user = find_user_by_email(ADVISER_EMAIL)
    if user is None:
        user, _ = create_user(ADVISER_EMAIL, "Karin de Boer", "adviser", DEMO_PASSWORD)
        terms = {
            model: {t.key: t.id for t in db.session.scalars(select(model))}
            for model in (Sector, Function, Region)
        }
        user.organisation = "Platform JEP adviespunt"
        user.sector_id = terms[Sector]["kennisinstituut"]
        user.function_id = terms[Function]["onderzoeker"]
        user.region_id = terms[Region]["landelijk"]
        user.bio = "Adviseur van het Platform JEP-adviespunt: sociaal psycholoog, tien jaar in de jeugdzorg."
        db.session.flush()
    return user


def _member(key: str) -> User | None:
    return find_user_by_email(f"{key}@{DOMAIN}")


def _tag_ids(keys) -> list[int]:
    return list(db.session.scalars(select(Tag.id).where(Tag.key.in_(keys))))


def _ensure_partners() -> None:
    for key, (themes, sectors, regions, availability) in PARTNERS.items():
        user = _member(key)
        if user is None or sparring.partner_for(user) is not None:
            continue
        sparring.save_partner(
            user,
            theme_ids=_tag_ids(themes),
            sector_ids=list(db.session.scalars(select(Sector.id).where(Sector.key.in_(sectors)))),
            region_ids=list(db.session.scalars(select(Region.id).where(Region.key.in_(regions)))),
            availability=availability,
        )


def _ensure_question(spec: DemoQuestion, adviser: User) -> None:
    asker = _member(spec.asker)
    exists = db.session.scalar(
        select(AdviceQuestion.id).where(AdviceQuestion.subject == spec.subject)
    )
    if asker is None or exists is not None:
        return
    asked_at = utcnow() - timedelta(days=spec.days_ago)
    question = services.ask_question(
        asker,
        services.NewQuestion(
            subject=spec.subject,
            body=spec.body,
            urgency=spec.urgency,
            kind=spec.kind,
            theme_id=(_tag_ids([spec.theme]) or [None])[0],
            sector_id=asker.sector_id,
            region_id=asker.region_id,
        ),
        now=asked_at,
    )
    if spec.kind == "sparringpartner" and question.proposals:
        proposal = question.proposals[0]
        sparring.accept_proposal(proposal, proposal.user, now=asked_at + timedelta(hours=5))
        services.post_message(
            question,
            proposal.user,
            "Herkenbaar. Ik zou hem eerst apart vragen wat hij met 'ongelovigen' bedoelt, "
            "zonder meteen te corrigeren. Zullen we even bellen via het platform?",
            now=asked_at + timedelta(hours=6),
        )
    if spec.note:
        services.take_question(question, adviser)
        services.post_message(
            question, adviser, spec.note, internal=True, now=asked_at + timedelta(hours=2)
        )
    if spec.answer:
        services.post_message(question, adviser, spec.answer, now=asked_at + timedelta(hours=20))
    if spec.reply:
        services.post_message(question, asker, spec.reply, now=asked_at + timedelta(days=1))
    if spec.closed:
        services.close_question(
            question, asker, "beantwoord", faq_consent=True, now=asked_at + timedelta(days=2)
        )
        services.rate_question(question, asker, "helped")


def seed_demo() -> list[tuple[str, str, str]]:
    """The demo adviser, four sparring partners and four questions (flushes only)."""
    adviser = _ensure_adviser()
    _ensure_partners()
    for spec in QUESTIONS:
        _ensure_question(spec, adviser)
    db.session.flush()
    return [(ADVISER_EMAIL, DEMO_PASSWORD, "adviser (advice desk)")]
