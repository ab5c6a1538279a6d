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
