"""What the privacy guard reports: a `Finding` (kind and position, never the value) and
the `ScanResult` of one text. See core/privacy/guard.py."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import lazy_gettext as _l

BLOCK = "block"
WARN = "warn"
SEVERITIES = (BLOCK, WARN)

KINDS = ("bsn", "phone", "postcode", "birthdate", "email", "iban", "social")

# Dutch msgids: Dutch is the source language of the platform. Module-level lazy strings
# are resolved at render time, so they follow the reader's locale and also work outside
# an app context (flask_babel then falls back to the msgid).
_LABELS = {
    "bsn": _l("burgerservicenummer (BSN)"),
    "phone": _l("telefoonnummer"),
    "postcode": _l("postcode met huisnummer"),
    "birthdate": _l("geboortedatum"),
    "email": _l("e-mailadres"),
    "iban": _l("IBAN-rekeningnummer"),
    "social": _l("link naar een social-mediaprofiel"),
}

# When two candidates overlap, the more specific kind wins. A valid BSN outranks a phone
# number (the rule in DOMAIN.md); structured identifiers outrank the looser patterns.
KIND_PRIORITY = {
    "bsn": 0,
    "iban": 1,
    "email": 2,
    "social": 3,
    "birthdate": 4,
    "postcode": 5,
    "phone": 6,
}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text, by position only (never the value)."""

    kind: str
    start: int
    end: int
    severity: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0 <= self.start < self.end:
            raise ValueError("a finding needs 0 <= start < end")

    @property
    def label(self) -> str:
        """Localised description of the kind of data; a lazy string, str() it when rendering."""
        return _LABELS[self.kind]


@dataclass(frozen=True)
class ScanResult:
    """All findings in one text, sorted by position and non-overlapping."""

    findings: tuple[Finding, ...]

    @property
    def is_blocked(self) -> bool:
        """True when the text may not be saved at all, not even after confirmation."""
        return any(f.severity == BLOCK for f in self.findings)

    @property
    def has_warnings(self) -> bool:
        """True when the author must confirm the text is not traceable before saving."""
        return any(f.severity == WARN for f in self.findings)

    @property
    def kinds(self) -> list[str]:
        """Distinct kinds of data found, in order of first appearance."""
        return list(dict.fromkeys(f.kind for f in self.findings))
