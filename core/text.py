"""Markdown rendering and HTML sanitising: the only place bleach is imported.

Text is rendered once, on write: markdown-it-py turns the source into HTML with raw
HTML disabled, then bleach keeps a strict allow-list of tags, attributes and URL
schemes. Templates print the stored result and never render user input themselves.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
_SAFE_HREF = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


def _allowed_link_attribute(tag: str, name: str, value: str) -> bool:
    # Absolute web and mail links, site paths and anchors only: anything else (a
    # mangled scheme, a protocol-relative URL) is dropped rather than guessed at.
    if name == "href":
        return bool(_SAFE_HREF.match(value.strip()))
    return name in {"title", "rel"}


ALLOWED_ATTRIBUTES = {"a": _allowed_link_attribute, "ol": ["start"], "th": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"

# C0/C1 control characters except tab, newline and carriage return.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Normalise user text: NFC, no NUL or other control characters, Unix newlines."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", value)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    # Images are dropped by the sanitiser anyway; disabling the rule keeps their alt text.
    md.disable("image")
    return md


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _rel_linker() -> Linker:
    # Applies rel to existing links only; URLs in text were already linked by markdown-it.
    return Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def sanitize_html(dirty: str) -> str:
    """Reduce any HTML to the allow-list, with every link marked rel=nofollow noopener ugc."""
    cleaned = _cleaner().clean(dirty)
    return _rel_linker().linkify(cleaned)


def render_markdown(source: str) -> Markup:
    """Render member-written Markdown to safe HTML (raw HTML is shown as text)."""
    source = clean_text(source or "")
    html_out = _inline_cards(sanitize_html(_markdown().render(source)))
    return Markup(html_out)  # noqa: S704 - sanitised just now; cards escape their own text


# --- inline cards: `[[prefix:key]]` or a bare link becomes a card --------------------
# Features above core register a renderer at start-up (the kennisbank registers
# "kennisbank"); core never imports them. A renderer returns the card's HTML, built from
# escaped values, or None to leave the text as written.

CardRenderer = Callable[[str], "str | None"]
LinkMatcher = Callable[[str], "str | None"]
_INLINE_CARDS: dict[str, tuple[CardRenderer, LinkMatcher | None]] = {}
_CARD_TOKEN = re.compile(r"\[\[([a-z]+):([a-z0-9-]{1,80})\]\]")
_BARE_LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
_CODE = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.DOTALL)


def register_inline_card(
    prefix: str, render: CardRenderer, *, match_link: LinkMatcher | None = None
) -> None:
    """Render `[[prefix:key]]` with `render(key)`; with `match_link`, a bare link whose
    URL gives a key (`match_link(url) -> key | None`) too. Registering again replaces."""
    _INLINE_CARDS[prefix] = (render, match_link)


def _card_for_token(match: re.Match) -> str:
    entry = _INLINE_CARDS.get(match.group(1))
    card = entry[0](match.group(2)) if entry else None
    return card if card is not None else match.group(0)


def _card_for_link(match: re.Match) -> str:
    url = html.unescape(match.group(1))
    if html.unescape(match.group(2)).strip() != url:
        return match.group(0)  # a link with its own text stays a link
    for render, match_link in _INLINE_CARDS.values():
        key = match_link(url) if match_link else None
        if key:
            card = render(key)
            if card is not None:
                return card
    return match.group(0)


def _inline_cards(value: str) -> str:
    if not _INLINE_CARDS or ("[[" not in value and "<a " not in value):
        return value
    parts = _CODE.split(value)
    for i in range(0, len(parts), 2):  # odd parts are code: left alone
        parts[i] = _BARE_LINK.sub(_card_for_link, _CARD_TOKEN.sub(_card_for_token, parts[i]))
    return "".join(parts)


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """Plain text from sanitised HTML, for snippets, search and text email parts."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()


def excerpt(value: str, length: int = 200) -> str:
    """The first `length` characters of plain text, cut on a word boundary."""
    text = _SPACE.sub(" ", value or "").strip()
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
