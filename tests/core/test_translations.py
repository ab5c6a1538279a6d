"""The English catalogue is complete and keeps every placeholder of the Dutch msgid."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "translations/en/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def messages():
    with CATALOGUE.open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def test_every_ui_string_has_an_english_translation():
    missing = [
        m.id for m in messages()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]  # fmt: skip
    assert missing == []


def test_translations_keep_their_placeholders():
    for message in messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= wanted | set(PLACEHOLDER.findall(ids[0])), (
                message.id
            )


FORMAL_ADDRESS = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)
JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def test_the_dutch_text_addresses_the_reader_as_je_never_as_u():
    formal = [
        m.id for m in messages()
        for text in (m.id if isinstance(m.id, tuple) else (m.id,))
        if FORMAL_ADDRESS.search(text)
    ]  # fmt: skip
    assert formal == []


def test_no_template_carries_untranslated_formal_address():
    root = CATALOGUE.parents[3] / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*"))
        if path.suffix in {".html", ".txt"}
        for match in FORMAL_ADDRESS.finditer(JINJA.sub(" ", path.read_text(encoding="utf-8")))
    ]
    assert found == []
