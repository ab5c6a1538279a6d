"""The demo kennisbank: fictional but realistic items for this field (no real programme's
recognition is claimed). Used by knowledge/demo.py."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoItem:
    slug: str
    title: str
    kind: str
    summary: str
    body: str
    themes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    status: str = "published"
    members_only: bool = False
    fields: dict = field(default_factory=dict)


def _intervention(level, approach, ages, goal, target, method, rationale, delivery, provider,
                  costs, sources) -> dict:  # fmt: skip
    return {
        "evidence_level": level,
        "approach": approach,
        "age_min": ages[0],
        "age_max": ages[1],
        "goal": goal,
        "target_group": target,
        "method": method,
        "rationale": rationale,
        "delivery": delivery,
        "provider": provider,
        "costs": costs,
        "sources": sources,
    }


ITEMS = [
    DemoItem(
        "dialoogtafels-op-school",
        "Dialoogtafels op school",
        "interventie",
        "Leerlingen praten in kleine groepen over spanningen in de samenleving, met een "
        "getrainde gespreksleider. Ze oefenen luisteren en een eigen mening geven.",
        "Na een aanslag of een fel debat op sociale media merken docenten dat leerlingen "
        "boos of bang zijn. Een dialoogtafel geeft die gevoelens een plek.\n\n"
        "## Zo verloopt een tafel\n\n1. Afspraken maken over respect en vertrouwelijkheid.\n"
        "2. Een open vraag, bijvoorbeeld: *Wanneer voelde jij je niet gehoord?*\n"
        "3. Rondes waarin iedereen spreekt en niemand onderbreekt.\n4. Samen afronden.",
        ("polarisatie", "weerbaarheid", "samenwerking-onderwijs-jongerenwerk"),
        ("onderwijs", "jongerenwerk"),
        ("landelijk",),
        fields=_intervention(
            "goed-onderbouwd",
            "jongerenwerk-onderwijs",
            (12, 18),
            "Leerlingen leren omgaan met verschillen van mening zonder elkaar uit te sluiten.",
            "Leerlingen in het voortgezet onderwijs en het mbo, en hun mentoren.",
            "Vier bijeenkomsten van een uur in de klas, in groepen van zes tot acht leerlingen.",
            "Gebaseerd op contacttheorie en dialoogmethoden; de werkzame elementen zijn "
            "beschreven in een theorie van verandering.",
            "Een docent of jongerenwerker na een tweedaagse training tot gespreksleider.",
            "Fictieve aanbieder: Stichting Dialoog in de Klas (via het contactformulier op de "
            "website).",
            "Training gespreksleiders ongeveer 450 euro per persoon; materiaal gratis.",
            "Beschrijving van de interventie (2024); procesevaluatie op twaalf scholen.",
        ),
    ),
    DemoItem(
        "ouders-in-gesprek",
        "Ouders in gesprek over radicalisering",
        "interventie",
        "Gespreksavonden waarop ouders ervaringen delen over zorgen om hun kind, onder "
        "leiding van een sleutelfiguur en een professional.",
        "Ouders zien vaak als eerste dat hun kind verandert, maar weten niet bij wie ze "
        "terechtkunnen. Op deze avonden horen ze dat ze niet de enigen zijn.",
        ("ouders-gezin", "sleutelfiguren", "signaleren-duiden"),
        ("religieuze-organisatie", "wijkteam", "zelforganisatie"),
        ("haaglanden", "amsterdam-amstelland"),
        fields=_intervention(
            "goed-beschreven",
            "gezinsondersteuning",
            (None, None),
            "Ouders weten welke signalen ertoe doen en waar ze hulp vinden.",
            "Ouders en opvoeders van jongeren van 12 tot 23 jaar.",
            "Drie avonden in een buurthuis of gebedshuis, met tolk waar nodig.",
            "Beschreven volgens het format van de Databank Effectieve Jeugdinterventies.",
            "Een sleutelfiguur uit de gemeenschap samen met een wijkteammedewerker.",
            "Fictieve aanbieder: Netwerk Sleutelfiguren Zuid-Holland.",
            "Zaalhuur en koffie; gespreksleiders worden door de gemeente betaald.",
            "Handleiding voor gespreksleiders (2023).",
        ),
    ),
    DemoItem(
        "weerbaar-online",
        "Weerbaar Online: training digitale weerbaarheid",
        "interventie",
        "Een lessenreeks waarin jongeren leren hoe algoritmes werken en hoe extremistische "
        "groepen online jongeren benaderen.",
        "Jongeren zien op sociale media soms in korte tijd steeds extremere filmpjes. Deze "
        "lessen laten zien hoe dat komt en wat je kunt doen.",
        ("digitale-weerbaarheid", "online-radicalisering", "sociale-media", "desinformatie"),
        ("onderwijs", "jongerenwerk"),
        ("landelijk",),
        fields=_intervention(
            "effectief-eerste",
            "communicatie-narratieven",
            (13, 17),
            "Jongeren herkennen manipulatie en desinformatie online.",
            "Leerlingen in de onderbouw van het voortgezet onderwijs.",
            "Zes lessen met opdrachten op de eigen telefoon en een slotdebat.",
            "Een vergelijkend onderzoek met controlegroep liet eerste positieve effecten "
            "zien op mediawijsheid.",
            "Docenten na een online training van vier uur.",
            "Fictieve aanbieder: Expertisecentrum Mediawijs Voorbeeld.",
            "Licentie per school 250 euro per jaar.",
            "Effectonderzoek 2022; handleiding en lesmateriaal.",
        ),
    ),
    DemoItem(
        "mentorprogramma-nieuwe-kansen",
        "Mentorprogramma Nieuwe Kansen",
        "interventie",
        "Een vrijwillige mentor begeleidt een jongere een jaar lang bij school, werk en vrije "
        "tijd, zodat extremistische groepen minder grip krijgen.",
        "Jongeren die zich buitengesloten voelen, zoeken erkenning. Een vaste mentor biedt "
        "een alternatief netwerk.",
        ("weerbaarheid", "lokale-aanpak", "professionele-eenzaamheid"),
        ("jongerenwerk", "sport", "jeugdhulp"),
        ("rotterdam-rijnmond",),
        members_only=True,
        fields=_intervention(
            "effectief-goede",
            "jongerenwerk-onderwijs",
            (14, 23),
            "Meer binding met school, werk en een positief netwerk.",
            "Jongeren met een verhoogd risico op uitsluiting, na verwijzing door het casusoverleg.",
            "Wekelijks contact gedurende twaalf maanden, met intervisie voor de mentoren.",
            "Twee studies met vergelijkingsgroep lieten goede aanwijzingen voor effect zien.",
            "Getrainde vrijwilligers onder begeleiding van een jongerenwerker.",
            "Fictieve aanbieder: Stichting Nieuwe Kansen Rotterdam.",
            "Ongeveer 1.800 euro per traject.",
            "Effectstudie 2021 en 2023.",
        ),
    ),
    DemoItem(
        "exitbegeleiding-op-maat",
        "Exitbegeleiding op maat",
        "interventie",
        "Persoonlijke begeleiding voor jongeren die uit een extremistische groep willen "
        "stappen, met aandacht voor identiteit, veiligheid en een nieuw netwerk.",
        "Uitstappen kost tijd. De begeleider werkt aan vertrouwen, praktische zaken en een "
        "nieuw toekomstbeeld.",
        ("exit-deradicalisering", "rechts-extremisme", "jihadisme"),
        ("jeugdreclassering", "reclassering", "zorg-veiligheidshuis"),
        ("landelijk",),
        fields=_intervention(
            "niet-beoordeeld",
            "exit",
            (16, 27),
            "Duurzaam afstand nemen van een extremistische groep en ideologie.",
            "Jongeren en jongvolwassenen die willen uitstappen, vrijwillig of in een "
            "justitieel kader.",
            "Individuele gesprekken, hulp bij wonen en werk, en contact met familie.",
            "Nog niet beoordeeld door de Erkenningscommissie.",
            "Exitbegeleiders met ervaring in de reclassering.",
            "Fictieve aanbieder: Team Uitstap Nederland.",
            "Vergoed binnen het justitiële kader.",
            "Praktijkbeschrijving 2024.",
        ),
    ),
    DemoItem(
        "signalen-duiden-in-vijf-stappen",
        "Zorgen over een jongere? Signalen duiden in vijf stappen",
        "handreiking",
        "Een stappenplan voor professionals die twijfelen of gedrag van een jongere wijst op "
        "radicalisering.",
        "1. **Beschrijf** wat je ziet en hoort, zonder oordeel.\n2. **Zoek tegensignalen**: "
        "wat gaat er goed?\n3. **Overleg** met een collega of aandachtsfunctionaris.\n"
        "4. **Vraag advies** anoniem, bijvoorbeeld via het platform.\n5. **Bepaal samen** "
        "of een casusoverleg nodig is.\n\nZie ook [[kennisbank:checklist-casusoverleg]].",
        ("signaleren-duiden", "radicalisering", "casusoverleg"),
        ("onderwijs", "jongerenwerk", "wijkteam", "jeugdhulp"),
        ("landelijk",),
    ),
    DemoItem(
        "informatie-delen-en-privacy",
        "Informatie delen over een jongere: wat mag wel en niet?",
        "handreiking",
        "Wanneer je gegevens mag delen met partners in het Zorg- en Veiligheidshuis, en hoe "
        "je dat zorgvuldig doet.",
        "Deel zo weinig mogelijk, alleen wat nodig is voor het doel. Bespreek een casus eerst "
        "anoniem. Vraag toestemming aan de jongere of ouders als dat kan, en leg vast waarom "
        "je deelt.",
        ("informatie-delen", "wetgeving", "samenwerking-zorg-veiligheid"),
        ("zorg-veiligheidshuis", "gemeente-oov", "politie", "wijkteam"),
        ("landelijk",),
    ),
    DemoItem(
        "in-gesprek-met-een-jongere-over-complotten",
        "In gesprek met een jongere die in complotten gelooft",
        "handreiking",
        "Tips om het gesprek open te houden: nieuwsgierig blijven, niet meteen weerleggen en "
        "vragen naar de onderliggende zorg.",
        "Vraag wat de jongere aanspreekt in het verhaal. Vaak gaat het om wantrouwen of "
        "onmacht. Deel je eigen twijfel en laat zien hoe jij bronnen controleert.",
        ("complotdenken", "gesprek-met-jongere", "desinformatie"),
        ("onderwijs", "jongerenwerk", "ggz"),
        ("landelijk",),
    ),
    DemoItem(
        "wat-is-polarisatie",
        "Wat is polarisatie en wanneer wordt het zorgelijk?",
        "achtergrond",
        "Polarisatie hoort bij een levendige samenleving. Zorgelijk wordt het als groepen "
        "elkaar gaan zien als vijand.",
        "Polarisatie is het uit elkaar drijven van groepen. Dat is niet altijd slecht: "
        "tegenstellingen zetten onderwerpen op de agenda. Het wordt zorgelijk als wij-zij-"
        "denken leidt tot uitsluiting, haat of geweld.",
        ("polarisatie", "maatschappelijke-onrust"),
        (),
        ("landelijk",),
    ),
    DemoItem(
        "incelcultuur-en-vrouwenhaat-online",
        "Incelcultuur en vrouwenhaat online",
        "achtergrond",
        "Achtergrond over online gemeenschappen waar vrouwenhaat wordt gevoed, en wat "
        "professionals kunnen doen.",
        "Sommige jongens vinden online erkenning in groepen die vrouwen de schuld geven van "
        "hun eenzaamheid. Professionals kunnen het gesprek aangaan over eenzaamheid en "
        "zelfbeeld.",
        ("vrouwenhaat", "online-radicalisering", "gaming"),
        ("onderwijs", "jongerenwerk", "ggz"),
        ("landelijk",),
        members_only=True,
    ),
    DemoItem(
        "faq-moet-ik-een-melding-doen",
        "Moet ik een melding doen als een leerling extreme uitspraken doet?",
        "faq",
        "Niet meteen. Eén uitspraak is geen radicalisering. Bespreek het eerst met een "
        "collega en de zorgcoördinator.",
        "## De vraag\n\n> Een leerling zei in de klas dat geweld soms nodig is. Moet ik dat "
        "melden?\n\n## Het antwoord\n\n> Ga eerst het gesprek aan en vraag wat hij bedoelt. "
        "Overleg met de zorgcoördinator. Bij acuut gevaar bel je 112.",
        ("signaleren-duiden", "gesprek-met-jongere"),
        ("onderwijs",),
        ("landelijk",),
    ),
    DemoItem(
        "faq-anoniem-advies-vragen",
        "Kan ik anoniem advies vragen over een casus?",
        "faq",
        "Ja. Beschrijf de situatie zonder naam, adres of andere gegevens waarmee de jongere "
        "herkenbaar is.",
        "## De vraag\n\n> Ik wil advies over een jongere, maar wil hem niet in een systeem "
        "zetten.\n\n## Het antwoord\n\n> Dat kan. Gebruik het casussjabloon en laat "
        "herleidbare details weg. Het platform waarschuwt als je per ongeluk iets noemt.",
        ("informatie-delen", "doorverwijzen"),
        (),
        ("landelijk",),
    ),
    DemoItem(
        "checklist-casusoverleg",
        "Checklist voorbereiding casusoverleg radicalisering",
        "instrument",
        "Een checklist om een casus goed voor te bereiden voor het overleg in het Zorg- en "
        "Veiligheidshuis.",
        "- Welke feiten heb je zelf waargenomen?\n- Welke tegensignalen zie je?\n- Wie is "
        "al betrokken?\n- Wat is je vraag aan het overleg?\n- Wat weet de jongere of het "
        "gezin van deze bespreking?",
        ("casusoverleg", "samenwerking-zorg-veiligheid"),
        ("zorg-veiligheidshuis", "wijkteam", "jeugdhulp", "politie"),
        ("landelijk",),
    ),
    DemoItem(
        "gesprekskaart-wij-zij-denken",
        "Gesprekskaart: wij-zij-denken in de groep",
        "instrument",
        "Een kaart met vragen om in een groep jongeren te praten over wij-zij-denken.",
        "Gebruik de kaart na een incident of als je merkt dat groepen tegenover elkaar "
        "staan. Begin met: *Wie hoort er bij 'wij'? En wie niet?*",
        ("polarisatie", "discriminatie", "gesprek-met-jongere"),
        ("jongerenwerk", "sport", "onderwijs"),
        ("landelijk",),
        status="review",
    ),
    DemoItem(
        "antisemitisme-in-de-klas",
        "Antisemitisme in de klas: een eerste verkenning",
        "achtergrond",
        "Concept: wat docenten tegenkomen en welke lesmaterialen er zijn.",
        "Deze tekst is nog in bewerking.",
        ("antisemitisme", "discriminatie"),
        ("onderwijs",),
        status="draft",
    ),
]
