"""Privacy guard: find Dutch personal data in member-written text before it is saved.

Members discuss young people who may be radicalising; official guidance is to ask advice
anonymously and never give details that make a young person or their family traceable.
`scan_text` looks for such details (BSN, phone numbers, postcode plus house number, dates of
birth, email addresses, IBANs and links to social-media profiles) and reports *where* they
are, never *what* they are: a `Finding` holds offsets only, so the matched value cannot end
up in a log, an audit record or an error report by accident.

This module is pure Python on purpose (no request, no database) so that forms, services and
the moderation tools can all use it and it can be tested as a table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

import phonenumbers
from markupsafe import Markup, escape
from stdnum import iban
from stdnum.nl import bsn, postcode

from core.privacy.findings import BLOCK, KIND_PRIORITY, KINDS, SEVERITIES, WARN, Finding, ScanResult

__all__ = ["KINDS", "SEVERITIES", "Finding", "ScanResult", "highlight", "scan_text"]


def scan_text(text: str, *, allowed_numbers: Iterable[str] = ()) -> ScanResult:
    """Find Dutch personal data in `text`.

    `allowed_numbers` are phone numbers that may appear (for example the organisation's own
    switchboard); they are compared after normalising to E.164. Returns a `ScanResult`
    whose findings are sorted by start and never overlap.
    """
    if not text:
        return ScanResult(findings=())
    phones, exempt_spans = _find_phones(text, _normalise_allowed(allowed_numbers))
    candidates = [
        *_find_bsns(
            text,
            phone_spans=[(f.start, f.end) for f in phones] + exempt_spans,
            exempt_spans=exempt_spans,
        ),
        *phones,
        *_find_postcodes(text),
        *_find_birthdates(text),
        *_find_emails(text),
        *_find_ibans(text),
        *_find_social_profiles(text),
    ]
    return ScanResult(findings=_resolve_overlaps(candidates))


def highlight(text: str, findings: Iterable[Finding]) -> Markup:
    """Return `text` HTML-escaped, with each finding wrapped in a `<mark>`.

    Shows the author where in their text the data was found. Overlapping or out-of-range
    findings are skipped rather than producing broken markup.
    """
    parts: list[Markup] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        if finding.start < position or finding.end > len(text):
            continue
        parts.append(escape(text[position : finding.start]))
        parts.append(
            Markup('<mark class="privacy-finding" data-kind="{kind}">{value}</mark>').format(
                kind=finding.kind, value=text[finding.start : finding.end]
            )
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _resolve_overlaps(candidates: Iterable[Finding]) -> tuple[Finding, ...]:
    # Greedy by strength: blocks first, then the more specific kind, then the longer span.
    ranked = sorted(
        candidates,
        key=lambda f: (f.severity != BLOCK, KIND_PRIORITY[f.kind], f.start - f.end, f.start),
    )
    accepted: list[Finding] = []
    for candidate in ranked:
        if all(candidate.end <= f.start or f.end <= candidate.start for f in accepted):
            accepted.append(candidate)
    return tuple(sorted(accepted, key=lambda f: f.start))


# --- BSN --------------------------------------------------------------------------------

_SPACES = " \u00a0\u202f"

# A run of digit groups joined by single separators. The lookarounds keep it from starting
# or ending inside a longer number (digits, or digits joined by . , - /), so a 9-digit
# stretch of a 12-digit reference never becomes a candidate.
_NUMBER_TOKEN = re.compile(
    rf"(?<![\w])(?<![0-9][.,\-/])[0-9]+(?:[.\-{_SPACES}][0-9]+)*(?![\w])(?![.,\-/][0-9])"
)
_BSN_KEYWORD = re.compile(r"\b(?:bsn|burgerservicenummers?|sofi-?nummers?)\b", re.IGNORECASE)
_BSN_KEYWORD_DISTANCE = 300
_DATE_SHAPED = re.compile(
    rf"(?:[0-9]{{1,2}}[.\-{_SPACES}][0-9]{{1,2}}[.\-{_SPACES}][0-9]{{4}}"
    rf"|[0-9]{{4}}[.\-{_SPACES}][0-9]{{1,2}}[.\-{_SPACES}][0-9]{{1,2}})"
)
_MONEY_BEFORE = re.compile(r"(?:€|\beur|\beuro)\s*$", re.IGNORECASE)


def _find_bsns(
    text: str, *, phone_spans: list[tuple[int, int]], exempt_spans: list[tuple[int, int]]
) -> list[Finding]:
    keyword_spans = [(m.start(), m.end()) for m in _BSN_KEYWORD.finditer(text)]
    findings = []
    for start, end in _bsn_candidates(text, phone_spans):
        value = text[start:end]
        if not bsn.is_valid(value) or _looks_like_date(value) or _follows_money(text, start):
            continue
        # About 9 % of random 9-digit numbers pass the 11-check, so only a nearby keyword
        # makes a BSN certain enough to refuse the post outright.
        near_keyword = any(
            k_end >= start - _BSN_KEYWORD_DISTANCE and k_start <= end + _BSN_KEYWORD_DISTANCE
            for k_start, k_end in keyword_spans
        )
        # "0900-6813" passes the 11-check too; a public or explicitly allowed phone number
        # is not a BSN unless the author says it is.
        if not near_keyword and _overlaps_any(start, end, exempt_spans):
            continue
        findings.append(Finding("bsn", start, end, BLOCK if near_keyword else WARN))
    return findings


def _bsn_candidates(text: str, phone_spans: list[tuple[int, int]]) -> Iterable[tuple[int, int]]:
    for match in _NUMBER_TOKEN.finditer(text):
        token = match.group()
        if _count_digits(token) in (8, 9):
            yield match.start(), match.end()
            continue
        # Spaces also separate unrelated numbers ("in 2009 111222333"), so look at each
        # space-separated part on its own, but never inside a phone number: the last eight
        # digits of "06 12345678" pass the 11-check often enough to be noise.
        for part in re.finditer(rf"[^{_SPACES}]+", token):
            start, end = match.start() + part.start(), match.start() + part.end()
            if _count_digits(part.group()) not in (8, 9):
                continue
            if _overlaps_any(start, end, phone_spans):
                continue
            yield start, end


def _overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _count_digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


def _looks_like_date(value: str) -> bool:
    # "12-03-2026" has eight digits; without this a tenth of all dates would be a "BSN".
    return _DATE_SHAPED.fullmatch(value) is not None


def _follows_money(text: str, start: int) -> bool:
    return _MONEY_BEFORE.search(text, max(0, start - 8), start) is not None


# --- Phone numbers -----------------------------------------------------------------------

# Public service numbers are not personal data: free (0800), paid (0900/0906/0909) lines.
_PUBLIC_NSN_PREFIXES = ("800", "900", "906", "909")


def _find_phones(text: str, allowed: frozenset[str]) -> tuple[list[Finding], list[tuple[int, int]]]:
    """Return phone findings and the spans of public or allowed numbers that were skipped."""
    findings = []
    exempt_spans = []
    matcher = phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        number = match.number
        if _is_public_number(number) or _e164_digits(number) in allowed:
            exempt_spans.append((match.start, match.end))
        else:
            findings.append(Finding("phone", match.start, match.end, WARN))
    return findings, exempt_spans


def _is_public_number(number: phonenumbers.PhoneNumber) -> bool:
    if number.country_code != 31:
        return False
    nsn = phonenumbers.national_significant_number(number)
    # 14 + area code (14 020, 14 0318) is the municipal number: public by design.
    is_municipal = nsn.startswith("14") and len(nsn) <= 6
    return nsn == "112" or is_municipal or nsn.startswith(_PUBLIC_NSN_PREFIXES)


def _e164_digits(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")


def _normalise_allowed(numbers: Iterable[str]) -> frozenset[str]:
    normalised = set()
    for raw in numbers:
        try:
            normalised.add(_e164_digits(phonenumbers.parse(raw, "NL")))
        except phonenumbers.NumberParseException:
            # Not parseable as a number, so it can never equal a match; keep the digits
            # anyway so an odd but exact entry still works.
            normalised.add("".join(c for c in raw if c.isdigit()))
    return frozenset(normalised)


# --- Postcode with house number ------------------------------------------------------------

_POSTCODE = rf"(?P<digits>[1-9][0-9]{{3}})(?P<gap>[{_SPACES}]?)(?P<letters>[A-Za-z]{{2}})(?![\w])"
_HOUSE_NUMBER = r"[0-9]{1,5}(?:[ \-]?[A-Za-z]{1,2}(?![\w])|-[0-9]{1,4})?(?![\w])"
# "1234 AB 12" as in forms, and the letter order "Dorpsstraat 12, 1234 AB" of addresses.
_POSTCODE_THEN_NUMBER = re.compile(
    rf"(?<![\w\-]){_POSTCODE}[{_SPACES}]*,?[{_SPACES}]+{_HOUSE_NUMBER}"
)
_NUMBER_THEN_POSTCODE = re.compile(
    rf"(?<![\w\-.,]){_HOUSE_NUMBER}[{_SPACES}]*,[{_SPACES}]*{_POSTCODE}"
)
# Lower-case letters after a space are usually a word, not a postcode: "tussen 2009 en 2012".
_TWO_LETTER_WORDS = frozenset({
    "aa", "af", "al", "bv", "ca", "cm", "de", "dl", "dm", "dr", "el", "en", "er", "ex", "ga",
    "gb", "go", "ha", "he", "hé", "ik", "in", "ir", "is", "ja", "je", "jr", "kb", "kg", "km",
    "lo", "me", "mg", "ml", "mm", "mr", "na", "nb", "no", "nr", "nu", "of", "oh", "ok", "om",
    "on", "op", "or", "pk", "pm", "so", "st", "te", "tm", "to", "tv", "uk", "up", "us", "vs",
    "we", "wo", "ze", "zo", "an", "as", "at", "be", "by", "do", "if", "it", "my",
})  # fmt: skip


def _find_postcodes(text: str) -> list[Finding]:
    findings = []
    for pattern in (_POSTCODE_THEN_NUMBER, _NUMBER_THEN_POSTCODE):
        for match in pattern.finditer(text):
            letters = match.group("letters")
            if not postcode.is_valid(match.group("digits") + letters):
                continue
            if (
                match.group("gap")
                and not letters.isupper()
                and letters.lower() in _TWO_LETTER_WORDS
            ):
                continue
            findings.append(Finding("postcode", match.start(), match.end(), WARN))
    return findings


# --- Date of birth with a cue ----------------------------------------------------------------

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(
        r"(?<![\w.\-/])(?P<day>[0-9]{1,2})(?P<sep>[\-/.])(?P<month>[0-9]{1,2})(?P=sep)"
        r"(?P<year>[0-9]{4})(?![\w])(?![.\-/][0-9])"
    ),
    re.compile(
        r"(?<![\w.\-/])(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
        r"(?![\w])(?![.\-/][0-9])"
    ),
    re.compile(
        rf"\b(?P<day>[0-9]{{1,2}})[{_SPACES}]+(?P<month_name>{_MONTH_NAMES})\.?"
        rf"[{_SPACES}]+(?P<year>[0-9]{{4}})\b",
        re.IGNORECASE,
    ),
)
_BIRTH_CUE = re.compile(
    r"\b(?:geboren|geb\.|geb\b|geboortedatum|geboortedag|geb\.?datum|dob\b|d\.o\.b\."
    r"|date of birth|born\b)",
    re.IGNORECASE,
)
_AGE_CUE = re.compile(
    r"\b(?P<age>[0-9]{1,2})[ \-]?jarigen?\b|\b(?P<age_years>[0-9]{1,2})[ ]+jaar[ ]+oud\b",
    re.IGNORECASE,
)
# A cue precedes the date ("geboren op 3 april 2009"), or follows closely in Dutch
# verb-final order ("die op 3-4-2009 is geboren"); the short window after keeps an event
# date followed by an unrelated "geboren" later in the sentence from counting.
_CUE_BEFORE_DISTANCE = 40
_CUE_AFTER_DISTANCE = 20
_OLDEST_PLAUSIBLE_AGE = 120
# Year arithmetic is off by one around the birthday, and authors round; allow some slack.
_AGE_SLACK = 2


def _find_birthdates(text: str) -> list[Finding]:
    birth_cues = [(m.start(), m.end()) for m in _BIRTH_CUE.finditer(text)]
    age_cues = [
        (m.start(), m.end(), int(m.group("age") or m.group("age_years")))
        for m in _AGE_CUE.finditer(text)
    ]
    today = datetime.now(UTC).date()
    findings = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            born_on = _parse_date(match)
            if born_on is None or not _is_plausible_birthdate(born_on, today):
                continue
            start, end = match.start(), match.end()
            has_birth_cue = any(
                _cue_is_near(c_start, c_end, start, end) for c_start, c_end in birth_cues
            )
            # An age ("15-jarige") on its own says nothing about a nearby date; it is a cue
            # only when the date fits that age, so an event date next to it stays unflagged.
            has_age_cue = any(
                _cue_is_near(c_start, c_end, start, end)
                and abs(today.year - born_on.year - age) <= _AGE_SLACK
                for c_start, c_end, age in age_cues
            )
            if has_birth_cue or has_age_cue:
                findings.append(Finding("birthdate", start, end, WARN))
    return findings


def _parse_date(match: re.Match[str]) -> date | None:
    month_name = match.groupdict().get("month_name")
    month = _MONTHS[month_name.lower()] if month_name else int(match.group("month"))
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def _is_plausible_birthdate(value: date, today: date) -> bool:
    return today.year - _OLDEST_PLAUSIBLE_AGE <= value.year and value <= today


def _cue_is_near(cue_start: int, cue_end: int, start: int, end: int) -> bool:
    is_before = start - _CUE_BEFORE_DISTANCE <= cue_end <= start
    is_after = end <= cue_start <= end + _CUE_AFTER_DISTANCE
    return is_before or is_after


# --- Email ----------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w\-])"
)


def _find_emails(text: str) -> list[Finding]:
    return [Finding("email", m.start(), m.end(), WARN) for m in _EMAIL.finditer(text)]


# --- IBAN -----------------------------------------------------------------------------------

# Country code, check digits, then up to 30 characters with optional single spaces. The
# greedy match may run into the next word, so it is shortened until a valid IBAN remains.
_IBAN_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}")


def _find_ibans(text: str) -> list[Finding]:
    findings = []
    position = 0
    while match := _IBAN_CANDIDATE.search(text, position):
        end = _longest_valid_iban_end(text, match.start(), match.end())
        if end is None:
            position = match.start() + 1
            continue
        findings.append(Finding("iban", match.start(), end, WARN))
        position = end
    return findings


def _longest_valid_iban_end(text: str, start: int, end: int) -> int | None:
    for candidate_end in range(end, start, -1):
        at_word_end = candidate_end == len(text) or not text[candidate_end].isalnum()
        is_boundary = at_word_end and text[candidate_end - 1].isalnum()
        if is_boundary and iban.is_valid(text[start:candidate_end]):
            return candidate_end
    return None


# --- Social-media profiles -----------------------------------------------------------------

_SOCIAL_LINK = re.compile(
    r"(?<![\w.@\-/])(?:https?://)?(?:(?:www|m|mobile|[a-z]{2})\.)?"
    r"(?P<host>instagram\.com|tiktok\.com|facebook\.com|fb\.com|x\.com|twitter\.com"
    r"|snapchat\.com|youtube\.com|t\.me|linkedin\.com)/(?P<path>[^\s<>\"'()\[\]{}]*)",
    re.IGNORECASE,
)


def _handle(pattern: str, reserved: str = "") -> Callable[[str], int | None]:
    """Build a check that returns how much of a URL path names a profile, or None."""
    compiled = re.compile(pattern, re.IGNORECASE)
    reserved_words = frozenset(reserved.split())

    def profile_length(path: str) -> int | None:
        match = compiled.match(path)
        if match is None:
            return None
        user = match.groupdict().get("user")
        if user is not None and user.lower() in reserved_words:
            return None
        return match.end()

    return profile_length


# Help, legal and feature pages live at the same depth as profiles; they are not personal.
_FACEBOOK_RESERVED = (
    "about ads business careers events gaming groups hashtag help home.php legal login "
    "login.php marketplace messages notifications pages photo.php policies policy privacy "
    "profile.php public reel reels settings share sharer sharer.php signup stories terms watch"
)
_X_RESERVED = (
    "about compose download explore hashtag help home i intent jobs login logout messages "
    "notifications privacy rules search settings share signup tos"
)
_PROFILE_PATHS: dict[str, Callable[[str], int | None]] = {
    "instagram.com": _handle(
        r"(?P<user>[a-z0-9_](?:[a-z0-9._]*[a-z0-9_])?)(?![\w.]*[a-z0-9_])",
        "about accounts api developer direct explore legal p press privacy reel reels "
        "stories tv web help",
    ),
    "tiktok.com": _handle(r"@(?P<user>[a-z0-9_.]*[a-z0-9_])"),
    "facebook.com": _handle(
        r"(?:profile\.php\?(?:[^\s#]*&)?id=(?P<id>[0-9]+)|(?P<user>[a-z0-9.]{5,}[a-z0-9]))"
        r"(?(id)|(?![a-z0-9.]))",
        _FACEBOOK_RESERVED,
    ),
    "x.com": _handle(r"(?P<user>[a-z0-9_]{1,15})(?![a-z0-9_])", _X_RESERVED),
    "snapchat.com": _handle(r"(?:add/|@)(?P<user>[a-z0-9_.\-]*[a-z0-9_])"),
    "youtube.com": _handle(r"(?:@|(?:c|user|channel)/)(?P<user>[a-z0-9_.\-]*[a-z0-9_])"),
    "t.me": _handle(
        r"(?P<user>[a-z][a-z0-9_]{3,31})(?![a-z0-9_])",
        "addstickers addtheme confirmphone iv joinchat login proxy setlanguage share socks",
    ),
    "linkedin.com": _handle(r"(?:in|pub)/(?P<user>[a-z0-9\-_%]*[a-z0-9_%])"),
}
_PROFILE_PATHS["fb.com"] = _PROFILE_PATHS["facebook.com"]
_PROFILE_PATHS["twitter.com"] = _PROFILE_PATHS["x.com"]


def _find_social_profiles(text: str) -> list[Finding]:
    findings = []
    for match in _SOCIAL_LINK.finditer(text):
        profile_length = _PROFILE_PATHS[match.group("host").lower()](match.group("path"))
        if profile_length:
            end = match.start("path") + profile_length
            findings.append(Finding("social", match.start(), end, WARN))
    return findings
