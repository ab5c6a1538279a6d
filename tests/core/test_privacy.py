"""The privacy guard finds Dutch personal data by position and never by value."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import phonenumbers
import pytest
from flask import Flask
from flask_babel import Babel
from markupsafe import Markup

from core.privacy.guard import Finding, ScanResult, highlight, scan_text

FAR_AWAY = "Lorem ipsum dolor sit amet. " * 40  # well over 1000 characters of filler

CASE_DESCRIPTION = """\
Situatie
Ik ben zorgcoördinator op een middelbare school in een middelgrote gemeente in het
oosten van het land. Het gaat om een leerling uit de bovenbouw, ongeveer 15 jaar, die
sinds de herfstvakantie steeds vaker uitspraken doet over "de elite" en over
complotten rond de overheid. In groep 8 was er ook al eens een incident, maar dat is
toen besproken met de ouders en afgesloten.

Waargenomen feiten
- Drie keer in de afgelopen twee weken heeft de leerling in de les filmpjes laten zien
  van een kanaal dat wij kennen uit het signaleringsoverzicht van 2023.
- Op een toets van 40 vragen schreef de leerling bij 12 vragen opmerkingen over
  "wakker worden". Het cijfer ging van een 7,5 naar een 4,2.
- Klasgenoten (ongeveer 1 op de 4) zeggen dat de leerling na 22:00 uur nog lang online
  is in besloten groepen op Telegram en TikTok.
- Op 12-03-2026 om 14:00 hadden wij een gesprek met de mentor en de wijkagent; dat
  duurde van 14:00 tot 15:30.

Tegensignalen
De leerling zit nog steeds op voetbal (2 keer per week), heeft een goede band met de
mentor en komt op tijd. Het verzuim is niet gestegen: 3 uur in periode 2, net als
vorig jaar.

Mijn vraag
Hoe bespreek ik dit met ouders zonder dat het label "radicalisering" meteen op tafel
ligt? En wanneer schakel ik het Veiligheidshuis in? Ik heb de Handreiking 2024 gelezen
(zie https://www.nji.nl/radicalisering), maar twijfel over de drempel.

Wat heb ik al gedaan
Overleg met de mentor, een intervisie met 6 collega's op 5 oktober 2026 van 09:30 tot
11:30, en ik heb de adviesvraag gesteld bij het steunpunt (0800-1234567). Bij acuut
gevaar bellen we uiteraard 112. Aantal betrokken professionals: 4; budget € 1.250,00.
"""


def kinds_and_values(text: str, allowed_numbers: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Findings as (kind, matched text) pairs; matched text is rebuilt only in tests."""
    result = scan_text(text, allowed_numbers=allowed_numbers)
    return [(f.kind, text[f.start : f.end]) for f in result.findings]


def years_ago(years: int) -> int:
    return datetime.now(UTC).year - years


# --- BSN ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nummer 111222333 in het dossier", "111222333"),
        ("nummer 123456782 in het dossier", "123456782"),
        ("nummer 1112.22.333 in het dossier", "1112.22.333"),
        ("nummer 1112 22 333 in het dossier", "1112 22 333"),
        ("nummer 111-222-333 in het dossier", "111-222-333"),
        ("nummer 10000008 in het dossier", "10000008"),
        ("in 2009 kwam 111222333 erbij", "111222333"),
    ],
)
def test_valid_bsn_is_found_with_separators_and_left_padding(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("bsn", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "nummer 123456789 in het dossier",
        "nummer 000000000 in het dossier",
        "nummer 1112.52.333 in het dossier",
        "nummer 1112223334 in het dossier",
    ],
)
def test_number_failing_the_eleven_check_is_not_a_bsn(text: str) -> None:
    assert scan_text(text).findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "kenmerk 91112223330 van de gemeente",
        "kenmerk 1112223339999 van de gemeente",
        "kenmerk 1112.22.333.4 van de gemeente",
        "kenmerk 111222333-7 van de gemeente",
        "kenmerk 111222333,50 van de gemeente",
        "kenmerk ABC111222333 van de gemeente",
    ],
)
def test_digit_run_inside_a_longer_number_is_not_split_into_a_bsn(text: str) -> None:
    assert all(f.kind != "bsn" for f in scan_text(text).findings)


@pytest.mark.parametrize(
    "text",
    [
        "De bijeenkomst is op 15-10-2026 in het stadhuis.",
        "De bijeenkomst is op 15.10.2026 in het stadhuis.",
        "Het project kostte € 111.222.333 in totaal.",
        "Het project kostte EUR 111222333 in totaal.",
    ],
)
def test_date_or_amount_passing_the_eleven_check_is_not_a_bsn(text: str) -> None:
    assert scan_text(text).findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "BSN: 111222333",
        "bsn-nummer 123456782",
        "Burgerservicenummer 1112.22.333",
        "zijn sofinummer is 111222333",
        "111222333 (dat is haar BSN)",
    ],
)
def test_bsn_with_a_keyword_nearby_blocks_the_post(text: str) -> None:
    result = scan_text(text)
    assert [f.kind for f in result.findings] == ["bsn"]
    assert result.is_blocked


def test_bsn_without_a_keyword_only_warns() -> None:
    result = scan_text("Het nummer op de brief was 111222333.")
    assert [(f.kind, f.severity) for f in result.findings] == [("bsn", "warn")]
    assert not result.is_blocked
    assert result.has_warnings


@pytest.mark.parametrize(
    "text",
    [
        f"Vraag naar het bsn-beleid. {FAR_AWAY} Het nummer was 111222333.",
        f"Het nummer was 111222333. {FAR_AWAY} Vraag naar het bsn-beleid.",
    ],
)
def test_bsn_keyword_a_thousand_characters_away_only_warns(text: str) -> None:
    result = scan_text(text)
    assert [(f.kind, f.severity) for f in result.findings] == [("bsn", "warn")]


def test_number_valid_as_bsn_and_as_phone_is_reported_as_bsn() -> None:
    text = "bel 004-357-425"
    # Precondition: the phone matcher does see a phone number here.
    assert list(phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID))
    assert kinds_and_values(text) == [("bsn", "004-357-425")]


def test_public_service_number_passing_the_eleven_check_is_not_a_bsn() -> None:
    assert scan_text("bel de infolijn 0900-6813").findings == ()


# --- Phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "0612345678",
        "06 12 34 56 78",
        "+31 6 12345678",
        "+31612345678",
        "0031 6 12345678",
        "020-1234567",
        "010 123 4567",
        "(030) 123 45 67",
    ],
)
def test_phone_number_in_common_format_warns(number: str) -> None:
    text = f"Bel moeder op {number} na school."
    assert kinds_and_values(text) == [("phone", number)]
    assert [f.severity for f in scan_text(text).findings] == ["warn"]


@pytest.mark.parametrize(
    "text",
    [
        "Bij acuut gevaar: bel 112.",
        "Advieslijn 0800-1234567 (gratis).",
        "Politie zonder spoed: 0900-8844.",
        "Informatielijn 0900-1234567.",
        "Gemeente: bel 14 020.",
        "Gemeente: bel 14 0318.",
    ],
)
def test_public_service_number_is_not_flagged(text: str) -> None:
    assert scan_text(text).findings == ()


@pytest.mark.parametrize("allowed", ["020-1234567", "+31201234567", "0031 20 123 45 67"])
def test_allowed_number_in_any_notation_is_not_flagged(allowed: str) -> None:
    assert scan_text("Bel ons kantoor op 020 123 4567.", allowed_numbers=[allowed]).findings == ()


def test_other_numbers_are_still_flagged_when_one_is_allowed() -> None:
    text = "Kantoor 020-1234567, moeder 06-12345678."
    assert kinds_and_values(text, allowed_numbers=("020-1234567",)) == [("phone", "06-12345678")]


# --- Postcode with house number -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("woont op 1234 AB 12 sinds kort", "1234 AB 12"),
        ("woont op 1234AB 12 sinds kort", "1234AB 12"),
        ("woont op 1234 ab 12a sinds kort", "1234 ab 12a"),
        ("woont op 1234 AB, 12-2 sinds kort", "1234 AB, 12-2"),
        ("woont aan de Dorpsstraat 12, 1234 AB Utrecht", "12, 1234 AB"),
    ],
)
def test_postcode_with_house_number_warns(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("postcode", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "het gebied rond 1234 AB in Utrecht",
        "postcodegebied 1234 AB",
        "code 0123 AB 12 bestaat niet",
        "code 1234 SS 12 wordt niet uitgegeven",
        "tussen 2009 en 2012 woonde het gezin elders",
        "van 1500 tot 2000 inwoners",
    ],
)
def test_postcode_alone_or_ordinary_numbers_are_not_flagged(text: str) -> None:
    assert scan_text(text).findings == ()


# --- Date of birth ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jongen, geboren 3-4-2009, zit in 4 havo.", "3-4-2009"),
        ("Meisje (geb. 03/04/2009) uit de wijk.", "03/04/2009"),
        ("Geboortedatum: 3 april 2009.", "3 april 2009"),
        ("geboren op 17 okt. 2010 in Zwolle", "17 okt. 2010"),
        ("DOB 03.04.2009", "03.04.2009"),
        ("DOB: 2009-04-03", "2009-04-03"),
        ("een jongen die op 3-4-2009 is geboren", "3-4-2009"),
    ],
)
def test_date_of_birth_with_a_cue_warns(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("birthdate", expected)]


@pytest.mark.parametrize(
    "template",
    [
        "Het gaat om een {age}-jarige jongen (3-4-{year}).",
        "Zij is nu {age} jaar oud, 12 mei {year} is haar verjaardag.",
    ],
)
def test_date_fitting_an_age_nearby_warns(template: str) -> None:
    text = template.format(age=15, year=years_ago(15))
    assert [kind for kind, _ in kinds_and_values(text)] == ["birthdate"]


@pytest.mark.parametrize(
    "text",
    [
        "We spreken af op 12-03-2026 om 14:00 in het wijkcentrum.",
        "Bijeenkomst 12-03-2026 van 09:30 tot 11:30.",
        "Het gezin kwam in 2009 naar Nederland.",
        "De les begint om 14:30.",
        "woensdag 5 oktober 2026, 09:30–11:30",
        "Een 15-jarige werd op 12-03-2024 aangesproken door de wijkagent.",
        "geboren in 2009",
        "geboren 31-02-2009 kan niet",
    ],
)
def test_date_without_a_birth_cue_is_not_flagged(text: str) -> None:
    assert scan_text(text).findings == ()


# --- Email and IBAN --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail naar jan.de.vries@example.nl.", "jan.de.vries@example.nl"),
        ("(ouder: a_b+school@mail.example.co.uk)", "a_b+school@mail.example.co.uk"),
    ],
)
def test_email_address_warns(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("email", expected)]


@pytest.mark.parametrize(
    "text", ["mail @jandevries", "schrijf info@ of bel", "jan at example dot nl"]
)
def test_text_resembling_an_email_address_is_not_flagged(text: str) -> None:
    assert scan_text(text).findings == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rekening NL91 ABNA 0417 1643 00 van vader", "NL91 ABNA 0417 1643 00"),
        ("rekening NL91ABNA0417164300 VOOR de huur", "NL91ABNA0417164300"),
        ("rekening nl91abna0417164300", "nl91abna0417164300"),
        ("account DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_valid_iban_warns(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("iban", expected)]


@pytest.mark.parametrize("text", ["rekening NL92 ABNA 0417 1643 00", "rekening NL91ABNA0417164301"])
def test_iban_with_a_wrong_checksum_is_not_flagged(text: str) -> None:
    assert all(f.kind != "iban" for f in scan_text(text).findings)


# --- Social-media profiles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "zie https://www.instagram.com/jan_de_vries/ voor",
            "https://www.instagram.com/jan_de_vries",
        ),
        ("zie tiktok.com/@jan.v.", "tiktok.com/@jan.v"),
        ("zie https://www.facebook.com/jan.devries.9", "https://www.facebook.com/jan.devries.9"),
        ("zie facebook.com/profile.php?id=1000123", "facebook.com/profile.php?id=1000123"),
        ("zie x.com/jandevries", "x.com/jandevries"),
        ("zie https://twitter.com/jandevries/status/1", "https://twitter.com/jandevries"),
        ("zie snapchat.com/add/jan_v", "snapchat.com/add/jan_v"),
        ("zie youtube.com/@jandevries", "youtube.com/@jandevries"),
        ("zie t.me/jandevries", "t.me/jandevries"),
        ("zie https://nl.linkedin.com/in/jan-de-vries", "https://nl.linkedin.com/in/jan-de-vries"),
    ],
)
def test_link_to_a_social_media_profile_warns(text: str, expected: str) -> None:
    assert kinds_and_values(text) == [("social", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "zie https://www.tiktok.com/",
        "zie instagram.com/about",
        "zie https://www.facebook.com/help",
        "zie https://x.com/home",
        "zie https://www.youtube.com/",
        "zie https://www.linkedin.com/",
        "zie netflix.com/browse",
    ],
)
def test_link_to_a_platform_home_or_help_page_is_not_flagged(text: str) -> None:
    assert scan_text(text).findings == ()


# --- Results and highlighting ----------------------------------------------------------------


def test_realistic_case_description_without_personal_data_has_no_findings() -> None:
    assert scan_text(CASE_DESCRIPTION).findings == ()


def test_findings_are_sorted_and_do_not_overlap() -> None:
    text = "Mail jan@example.nl, bel 06-12345678, BSN 111222333, woont 1234 AB 12."
    findings = scan_text(text).findings
    assert [f.kind for f in findings] == ["email", "phone", "bsn", "postcode"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))


def test_scan_result_lists_distinct_kinds_in_order_of_first_appearance() -> None:
    result = scan_text("06-12345678, jan@example.nl, 06-87654321, BSN 111222333")
    assert result.kinds == ["phone", "email", "bsn"]
    assert result.is_blocked
    assert result.has_warnings


def test_empty_text_has_no_findings() -> None:
    result = scan_text("")
    assert result == ScanResult(findings=())
    assert not result.is_blocked
    assert not result.has_warnings
    assert result.kinds == []


def test_finding_holds_offsets_only_never_the_value() -> None:
    assert [field.name for field in dataclasses.fields(Finding)] == [
        "kind",
        "start",
        "end",
        "severity",
    ]
    assert "111222333" not in repr(scan_text("BSN 111222333"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "name", "start": 0, "end": 1, "severity": "warn"}, "kind"),
        ({"kind": "bsn", "start": 0, "end": 1, "severity": "maybe"}, "severity"),
        ({"kind": "bsn", "start": 3, "end": 3, "severity": "warn"}, "start"),
    ],
)
def test_finding_rejects_invalid_values(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Finding(**kwargs)


def test_highlight_escapes_html_and_wraps_each_finding() -> None:
    text = "<script>alert(1)</script> bel 06-12345678 & mail jan@example.nl"
    html = highlight(text, scan_text(text).findings)
    assert isinstance(html, Markup)
    assert "<script>" not in html
    assert html == (
        "&lt;script&gt;alert(1)&lt;/script&gt; bel "
        '<mark class="privacy-finding" data-kind="phone">06-12345678</mark> &amp; mail '
        '<mark class="privacy-finding" data-kind="email">jan@example.nl</mark>'
    )


def test_highlight_escapes_html_inside_a_finding() -> None:
    text = "a<b>c"
    html = highlight(text, [Finding("email", 1, 4, "warn")])
    assert html == 'a<mark class="privacy-finding" data-kind="email">&lt;b&gt;</mark>c'


def test_highlight_without_findings_only_escapes() -> None:
    assert highlight("Tom & Jerry <b>", []) == "Tom &amp; Jerry &lt;b&gt;"


def test_label_is_dutch_outside_an_app_context() -> None:
    assert str(Finding("bsn", 0, 9, "block").label) == "burgerservicenummer (BSN)"


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("bsn", "burgerservicenummer (BSN)"),
        ("phone", "telefoonnummer"),
        ("postcode", "postcode met huisnummer"),
        ("birthdate", "geboortedatum"),
        ("email", "e-mailadres"),
        ("iban", "IBAN-rekeningnummer"),
        ("social", "link naar een social-mediaprofiel"),
    ],
)
def test_label_renders_inside_an_app_context(kind: str, label: str) -> None:
    app = Flask(__name__)
    Babel(app, default_locale="nl")
    with app.test_request_context():
        assert str(Finding(kind, 0, 1, "warn").label) == label
