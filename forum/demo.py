"""Demo conversations for `flask seed demo`, as professionals in this field hold them,
in the demo groups between the demo members (groups/demo.py runs first). Idempotent.

Every case is described the way the official guidance asks for: anonymously, with no
name, age, school, address or other detail that makes a young person or their family
traceable (tests/groups/test_demo.py runs the privacy guard over every post).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import inspect, select

from auth.models import User
from auth.services import find_user_by_email
from core.db import utcnow
from core.extensions import db
from core.taxonomy import Tag
from core.text import render_markdown
from forum.models import Post, Reaction, Thread, ThreadRead
from groups.demo import MEMBERS, demo_email
from groups.models import Group


@dataclass
class DemoPost:
    """A reply; `replies` answer it. `accepted` marks the answer to a question."""

    author: str
    body: str
    hours: float  # after the opening post
    replies: list[DemoPost] = field(default_factory=list)
    accepted: bool = False
    useful: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()


@dataclass
class DemoThread:
    group: str
    author: str
    title: str
    kind: str
    days_ago: float
    tags: tuple[str, ...]
    body: str
    replies: list[DemoPost] = field(default_factory=list)
    is_pinned: bool = False


P = DemoPost

THREADS = [
    DemoThread(
        "regio-rotterdam-rijnmond", "marloes",
        "Leerling deelt complotfilmpjes in de klasgroep: wanneer schakel ik wie in?",
        "question", 9, ("complotdenken", "signaleren-duiden", "samenwerking-onderwijs-jongerenwerk"),
        """**Situatie**
Een leerling uit de bovenbouw deelt sinds een paar weken filmpjes in de klasgroep over een "geheime elite" die achter oorlogen en pandemieën zou zitten. Ik noem bewust geen school of klas.

**Waargenomen feiten**
- Drie filmpjes in twee weken, steeds van hetzelfde kanaal.
- Hij reageert fel als klasgenoten het tegenspreken, maar bedreigt niemand.
- Cijfers en aanwezigheid zijn niet veranderd.

**Tegensignalen**
Goede band met zijn mentor, sport twee keer per week, vrienden buiten de klas.

**Mijn vraag**
Houden we dit voorlopig binnen school en thuis, of hoort dit al bij het Zorg- en Veiligheidshuis? En wanneer betrek je de wijkagent?

**Wat heb ik al gedaan**
Gesprek gehad met de mentor. Ouders zijn nog niet benaderd.""",
        [
            P("jeroen", "Vanuit de politie: zolang er geen dreiging of strafbaar feit is, is dit geen politiezaak. Complotdenken is op zich niet strafbaar. Ik kom graag eens kennismaken op school, maar dan niet om deze leerling aan te spreken.", 3,
              [P("marloes", "Dank, helder. Hoe voorkom ik dat een kennismaking toch voelt als 'de politie komt voor hem'?", 5,
                 [P("jeroen", "Koppel het aan iets algemeens, bijvoorbeeld een gastles over nepnieuws voor het hele leerjaar. Dan ben ik een gezicht in de school en niet iemand die voor één leerling komt.", 7)])],
              useful=("marloes",)),
            P("fatima", "Herkenbaar. Wat bij ons werkt: niet in discussie over de inhoud van de filmpjes, maar nieuwsgierig vragen wat hem erin aanspreekt. Vaak gaat het onder de oppervlakte over wantrouwen en het gevoel niet gezien te worden. Laat de mentor dat gesprek voeren, die heeft de band. En betrek de ouders vroeg, als bondgenoot en niet als 'melding'.", 6,
              [P("ingrid", "Mooi advies. Vanuit de ggz zou ik toevoegen: let ook op angst en somberheid. Complotdenken is soms een manier om grip te krijgen op een wereld die bedreigend voelt. Als dat speelt, is een verwijzing naar de huisarts of het wijkteam logischer dan een veiligheidsroute.", 9)],
              accepted=True, useful=("marloes", "thomas"), thanks=("marloes",)),
            P("thomas", "Twijfel je of het zorgelijk is? Je kunt altijd anoniem sparren met de netwerkregisseur van je gemeente. Daar wordt niet meteen een casus van gemaakt; we kijken samen of er meer nodig is. Pas als er signalen van een gesloten wereldbeeld of van geweldsbereidheid bijkomen, ligt het Zorg- en Veiligheidshuis voor de hand.", 20,
              useful=("marloes", "jeroen")),
        ],
    ),
    DemoThread(
        "online-radicalisering", "rachid",
        "Incel-taal in de kleedkamer: herkennen jullie dit?",
        "discussion", 6, ("vrouwenhaat", "online-radicalisering", "sociale-media"),
        """Bij onze club hoor ik jongens van onder de achttien steeds vaker termen als "alpha", "blackpill" en "looksmaxxen" gebruiken. Meestal lacherig, soms best hard over meisjes en vrouwen. Ik weet niet goed wat stoer meedoen is en wat zorgelijk.

Hoe gaan jullie hiermee om in de kleedkamer, de klas of op straat? Ik zoek vooral woorden om het gesprek aan te gaan zonder meteen de boeman te zijn.""",
        [
            P("sanne", "In de klas merk ik hetzelfde. Wat helpt: vragen waar ze het vandaan hebben en wat die influencer volgens hen goed doet. Vaak zit er een echte vraag onder: hoe word ik zelfverzekerd, hoe krijg ik een vriendin. Die vraag serieus nemen opent meer dan het woord verbieden.", 2,
              [P("rachid", "Dat is een goede. Ik ga het proberen na de training, één op één in plaats van in de groep.", 4),
               P("ingrid", "Eens met Sanne. Let wel op jongens die zich terugtrekken, zich waardeloos voelen en online steeds meer tijd in dit soort fora doorbrengen. Dan is het niet meer alleen stoere taal maar kan er somberheid onder zitten.", 6)],
              useful=("rachid", "lisa")),
            P("lisa", "Vanuit de jeugdreclassering: in een enkel geval zien we dat vrouwenhaat samengaat met fascinatie voor geweld en aanslagplegers. Dat is uitzonderlijk, maar wel iets om op te letten: verheerlijking van daders is voor mij het punt om collega's te raadplegen.", 8,
              [P("anouk", "Dat is ook het moment om het Zorg- en Veiligheidshuis te bellen voor advies. Dat mag anoniem; wij denken mee over de vraag of er meer nodig is.", 10,
                 [P("lisa", "Goed om te weten dat dat ook kan zonder meteen een melding te doen.", 12,
                    [P("rachid", "Voor mij als vrijwilligerscoördinator ook. Ik dacht altijd dat je dan meteen 'iets in gang zet'.", 14)])])]),
        ],
    ),
    DemoThread(
        "online-radicalisering", "esther",
        "Welke lesmaterialen gebruiken jullie voor digitale weerbaarheid in de onderbouw?",
        "question", 3, ("digitale-weerbaarheid", "desinformatie", "interventies"),
        """**Mijn vraag**
Ik geef samen met een mentor voorlichting in de brugklas over online veiligheid. We willen dit jaar ook desinformatie en extreme content bespreken, op een manier die past bij twaalf- en dertienjarigen.

Welke materialen of werkvormen hebben jullie goede ervaringen mee? Liefst iets wat geen voorkennis van de docent vraagt.""",
        [
            P("fatima", "Wij gebruiken in het jongerenwerk vaak een werkvorm waarin jongeren zelf een nepbericht maken en de groep raadt wat echt is. Dat werkt beter dan uitleg vooraf. Ik zoek de handleiding op en zet hem hier.", 5),
        ],
    ),
    DemoThread(
        "onderwijs-en-jongerenwerk", "sanne",
        "Welkom: zo helpen we elkaar in deze groep",
        "discussion", 20, ("samenwerking-onderwijs-jongerenwerk",),
        """Welkom in de groep Onderwijs en jongerenwerk! Een paar afspraken:

1. Bespreek situaties altijd **anoniem**: geen namen, klassen, scholen of straten.
2. Beschrijf wat je ziet, deel geen extremistisch materiaal (ook geen links ernaar).
3. Vraag gerust iets wat je 'dom' vindt: iedereen begint ergens.

Fatima en ik zijn de coördinatoren. Stel je gerust even voor hieronder.""",
        [
            P("marloes", "Dank Sanne! Ik ben zorgcoördinator in Rotterdam en vooral benieuwd hoe andere scholen het contact met het jongerenwerk hebben geregeld.", 3),
            P("mehmet", "Hallo allemaal, jeugdhulpverlener in Den Haag. Ik kom vaak in gezinnen waar school en jongerenwerk allebei betrokken zijn en zie hoe belangrijk korte lijntjes zijn.", 30),
        ],
        is_pinned=True,
    ),
    DemoThread(
        "onderwijs-en-jongerenwerk", "fatima",
        "Samenwerkingsafspraken tussen school en jongerenwerk: wie heeft een goed voorbeeld?",
        "question", 12, ("samenwerking-onderwijs-jongerenwerk", "lokale-aanpak", "informatie-delen"),
        """We willen met twee middelbare scholen in de wijk afspreken hoe we samenwerken als we ons zorgen maken over een jongere. Nu gaat dat vooral via persoonlijke contacten, en als iemand vertrekt zijn we terug bij af.

**Mijn vraag**
Heeft iemand een voorbeeld van zo'n afspraak of convenant? Vooral: wie belt wie, wat mag je delen en hoe betrek je ouders?""",
        [
            P("thomas", "Wij werken met een korte samenwerkingsafspraak per wijk, aangevuld met het privacyconvenant van het Zorg- en Veiligheidshuis. De kern:\n\n- één vast aanspreekpunt per school en per jongerenwerkorganisatie;\n- eerst samen anoniem bespreken, pas daarna met naam en met medeweten van ouders;\n- een kwartaaloverleg om de afspraken levend te houden.\n\nIk deel het model graag; stuur me een bericht.", 4,
              [P("fatima", "Precies wat we zoeken, dank je! Vooral het kwartaaloverleg spreekt me aan.", 6)],
              accepted=True, useful=("fatima", "sanne", "marloes")),
            P("sanne", "Bij ons werkte het pas echt toen de jongerenwerker een vast uur per week in de school aanwezig was. Afspraken op papier zijn nodig, maar gezichten kennen is minstens zo belangrijk.", 26, useful=("fatima",)),
        ],
    ),
    DemoThread(
        "casuistiek-rotterdam-rijnmond", "jeroen",
        "Groepje jongeren rond een buurthuis: signaleren zonder te stigmatiseren",
        "question", 4, ("signaleren-duiden", "polarisatie", "casusoverleg"),
        """**Situatie**
Rond een buurthuis in mijn wijk hangt een vaste groep jongeren. Sinds kort hoor ik uitspraken over 'wij tegen de rest' en zie ik stickers van een extreemrechtse groep in de buurt.

**Waargenomen feiten**
Stickers, een paar uitspraken die ik zelf hoorde, een melding van een buurtbewoner over scheldpartijen.

**Tegensignalen**
De meesten gaan gewoon naar school of werk; het buurthuis heeft een goede band met de groep.

**Mijn vraag**
Hoe pakken we dit op zonder dat de hele groep het stempel 'radicaal' krijgt?""",
        [
            P("fatima", "Ik ken de jongerenwerkers van dat buurthuis. Zullen we eerst met hen om tafel? Zij kunnen duiden wat groepstaal is en wat meer zegt over individuele jongeren.", 2,
              [P("jeroen", "Graag. Ik stel voor dat we het daarna in dit groepje nog eens bespreken voordat er iets richting het Zorg- en Veiligheidshuis gaat.", 3)]),
            P("thomas", "Goed dat je dit vroeg inbrengt. Vanuit de gemeente kunnen we de stickers laten verwijderen zonder er ruchtbaarheid aan te geven. Dat haalt de aandacht weg waar zo'n groep vaak juist op uit is.", 8),
        ],
    ),
    DemoThread(
        "intervisie-utrecht", "anouk",
        "Casusinbreng voor de volgende bijeenkomst",
        "discussion", 2, ("professionele-eenzaamheid",),
        """Voor de volgende intervisie zoeken we nog een inbreng. Het gaat om een situatie waarin je twijfelde of je te snel of juist te laat hebt ingegrepen. Wie wil? Houd het zoals altijd anoniem; de details bespreken we alleen in de bijeenkomst zelf.""",
        [
            P("sanne", "Ik heb er een, over een gesprek met ouders dat anders liep dan ik verwachtte.", 5,
              [P("ingrid", "Fijn, Sanne. Dan neem ik de keer daarna.", 8)]),
        ],
    ),
    DemoThread(
        "regio-amsterdam-amstelland", "youssef",
        "Spanningen in de wijk na het geweld in het Midden-Oosten: hoe houden jullie het gesprek open?",
        "discussion", 8, ("polarisatie", "maatschappelijke-onrust", "antisemitisme", "moslimdiscriminatie"),
        """Sinds het oplaaien van het geweld in het Midden-Oosten merken wij in de moskee dat jongeren boos en verdrietig zijn, en dat ze zich niet gehoord voelen op school. Tegelijk hoor ik van collega's in de synagoge dat Joodse jongeren zich onveilig voelen.

Hoe houden jullie het gesprek open, zonder dat het een wedstrijd wordt wie het meest lijdt?""",
        [
            P("lisa", "Herkenbaar. Wat mij helpt: eerst ruimte voor de emotie, dan pas voor de feiten. En steeds benoemen dat je kunt rouwen om slachtoffers aan alle kanten.", 6,
              [P("youssef", "Dat doen wij ook bij de gespreksavonden voor ouders. Het lastige is dat sommige jongeren online beelden zien die we in de moskee nooit zouden laten zien.", 9,
                 [P("sanne", "Op school hebben we de regel: geen beelden in de klas, wel het gesprek over wat je gezien hebt en wat het met je doet. Leerlingen waarderen dat meer dan ik had gedacht.", 15)])],
              useful=("youssef",)),
            P("jeroen", "Vanuit de politie: meld signalen van intimidatie of bedreiging altijd, ook als het 'maar' online is. Juist in deze periode willen we het beeld compleet hebben.", 20),
        ],
    ),
    DemoThread(
        "regio-haaglanden", "mehmet",
        "Informatie delen met school zonder toestemming van ouders: mag dat?",
        "question", 14, ("informatie-delen", "wetgeving", "ouders-gezin"),
        """**Situatie**
In een gezin waar ik kom, maken de ouders zich zorgen over hun zoon maar willen ze niet dat school iets weet. School belt mij of ik iets kan vertellen.

**Mijn vraag**
Wat mag ik delen zonder toestemming van de ouders en de jongere, en hoe regelen jullie dat?

**Wat heb ik al gedaan**
Aan school gezegd dat ik eerst terugkom op de vraag.""",
        [
            P("anouk", "Kort gezegd: als jeugdhulpverlener heb je een beroepsgeheim en vraag je in principe eerst toestemming. Zonder toestemming delen kan alleen als er sprake is van een conflict van plichten, bijvoorbeeld bij ernstig gevaar, of binnen de afspraken van een privacyconvenant, zoals dat van het Zorg- en Veiligheidshuis.\n\nWat je altijd mag: anoniem advies vragen, en samen met de ouders onderzoeken wat zij wél goed vinden om te delen. Vaak is een gezamenlijk gesprek met school de beste route. Overleg bij twijfel met de privacyfunctionaris of aandachtsfunctionaris van je organisatie.", 5,
              [P("mehmet", "Dank, dit geeft me houvast. Ik ga de ouders voorstellen om samen met school om tafel te gaan.", 8),
               P("pieter", "In het wijkteam gebruiken we hiervoor een vaste vraag aan ouders: 'Wat moet school weten om uw zoon goed te kunnen helpen?' Dat maakt het concreet en minder bedreigend.", 28)],
              accepted=True, useful=("mehmet", "pieter"), thanks=("mehmet",)),
        ],
    ),
    DemoThread(
        "regio-groningen", "pieter",
        "Met wie sparren jullie als je twijfelt?",
        "discussion", 5, ("professionele-eenzaamheid", "lokale-aanpak"),
        """In het wijkteam ben ik de enige die zich met dit thema bezighoudt. Soms zit ik met een zorg waarvan ik niet weet of die groot of klein is, en dan voelt het eenzaam. Met wie sparren jullie in zo'n geval, buiten je eigen team?""",
        [
            P("esther", "Ik heb veel aan een vaste collega bij de GGD in een andere regio, met wie ik eens per maand bel. En aan dit platform natuurlijk.", 4),
            P("ingrid", "Een intervisiegroep met mensen uit verschillende sectoren heeft mij enorm geholpen. Misschien is er in Groningen interesse om er een te starten?", 7,
              [P("pieter", "Goed idee, ik ga het op de regionale netwerkbijeenkomst voorstellen.", 10)]),
        ],
    ),
]  # fmt: skip


def seed_demo() -> list[tuple[str, str, str]]:
    """Add the demo threads (flushes only); the members and groups must exist."""
    if not inspect(db.engine).has_table("threads"):  # only before the forum migration
        print("seed demo: no threads table yet, conversations skipped", file=sys.stderr)
        return []
    users = {member.key: find_user_by_email(demo_email(member.key)) for member in MEMBERS}
    groups = {group.slug: group for group in db.session.scalars(select(Group))}
    now = utcnow()
    for spec in THREADS:
        _ensure_thread(spec, groups[spec.group], users, now)
    db.session.flush()
    return []


def _ensure_thread(spec: DemoThread, group: Group, users: dict[str, User], now: datetime) -> None:
    exists = db.session.scalar(
        select(Thread.id).where(Thread.group_id == group.id, Thread.title == spec.title)
    )
    if exists is not None:
        return
    started = now - timedelta(days=spec.days_ago)
    tags = list(db.session.scalars(select(Tag).where(Tag.key.in_(spec.tags))))
    author = users[spec.author]
    thread = Thread(
        group_id=group.id,
        author_id=author.id,
        title=spec.title,
        kind=spec.kind,
        is_pinned=spec.is_pinned,
        created_at=started,
        last_activity_at=started,
        tags=tags,
    )
    db.session.add(thread)
    db.session.flush()
    opening = Post(
        thread_id=thread.id,
        author_id=author.id,
        depth=0,
        body_source=spec.body,
        body_html=render_markdown(spec.body),
        created_at=started,
    )
    db.session.add(opening)
    db.session.flush()
    thread.first_post_id = opening.id

    posts: list[tuple[Post, str]] = [(opening, spec.author)]
    # Insert replies in the order they were written, so post ids follow time as they do
    # when members post (read state compares post ids).
    flat: list[tuple[DemoPost, DemoPost | None]] = []

    def walk(reply: DemoPost, parent: DemoPost | None) -> None:
        flat.append((reply, parent))
        for child in reply.replies:
            walk(child, reply)

    for reply in spec.replies:
        walk(reply, None)
    created: dict[int, Post] = {}
    for reply, parent_spec in sorted(flat, key=lambda pair: pair[0].hours):
        parent = created[id(parent_spec)] if parent_spec is not None else None
        post = Post(
            thread_id=thread.id,
            parent_id=parent.id if parent else None,
            author_id=users[reply.author].id,
            depth=(parent.depth + 1) if parent else 1,
            body_source=reply.body,
            body_html=render_markdown(reply.body),
            created_at=started + timedelta(hours=reply.hours),
            useful_count=len(reply.useful),
            thanks_count=len(reply.thanks),
        )
        db.session.add(post)
        db.session.flush()
        created[id(reply)] = post
        posts.append((post, reply.author))
        for kind, keys in (("useful", reply.useful), ("thanks", reply.thanks)):
            for key in keys:
                db.session.add(Reaction(post_id=post.id, user_id=users[key].id, kind=kind))
        if reply.accepted:
            thread.accepted_post_id = post.id

    ordered = posts  # already in the order written
    last = ordered[-1][0]
    thread.reply_count = len(posts) - 1
    thread.last_activity_at = last.created_at
    thread.last_post_id = last.id
    # Everyone who took part has read the thread up to their own last post, so the
    # replies that came after it show as unread for them.
    last_seen: dict[str, Post] = {}
    for post, key in ordered:
        last_seen[key] = post
    for key, post in last_seen.items():
        db.session.add(
            ThreadRead(
                thread_id=thread.id,
                user_id=users[key].id,
                last_read_at=post.created_at,
                last_read_post_id=post.id,
            )
        )
    db.session.flush()
