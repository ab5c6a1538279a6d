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
from html.parser import HTMLParser

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


# Explicit directional formatting characters (UAX #9): embeddings and overrides
# (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI). An unclosed one flips
# everything after it on the page, so a title "‮gnp.exe" shows as "exe.png".
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"
_BIDI_CLOSER = {
    "\u202a": _POP_EMBEDDING, "\u202b": _POP_EMBEDDING, "\u202d": _POP_EMBEDDING,
    "\u202e": _POP_EMBEDDING, "\u2066": _POP_ISOLATE, "\u2067": _POP_ISOLATE,
    "\u2068": _POP_ISOLATE,
}  # fmt: skip


def strip_bidi_controls(value: str) -> str:
    """Remove every directional embedding, override and isolate character."""
    return _BIDI_CONTROLS.sub("", value)


def clean_line(value: str) -> str:
    """One-line text (titles, names, organisations): `clean_text`, no directional
    controls at all, whitespace collapsed to single spaces."""
    return " ".join(strip_bidi_controls(clean_text(value)).split())


def _balance_line(line: str) -> str:
    open_closers: list[str] = []
    out: list[str] = []
    for char in line:
        if char in _BIDI_CLOSER:
            open_closers.append(_BIDI_CLOSER[char])
        elif char in (_POP_EMBEDDING, _POP_ISOLATE):
            if not open_closers or open_closers[-1] != char:
                continue  # A closer without its opener could end something around us.
            open_closers.pop()
        out.append(char)
    return "".join(out) + "".join(reversed(open_closers))


def balance_bidi_controls(value: str) -> str:
    """Keep directional controls in multi-line text only as closed pairs within one line:
    every opener is closed at the end of its line and stray closers are dropped, so
    right-to-left text still reads well but cannot flip the page around it."""
    if not _BIDI_CONTROLS.search(value):
        return value
    return "\n".join(_balance_line(line) for line in value.split("\n"))


def clean_multiline(value: str) -> str:
    """Bodies and notes: `clean_text` with directional controls balanced per line."""
    return balance_bidi_controls(clean_text(value))


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
    source = clean_multiline(source or "")
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
    # Cutting may separate a directional opener from its closer: close it again.
    return balance_bidi_controls(text[:length].rsplit(" ", 1)[0]) + "…"


# --- member HTML in email -------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table", "tr", "hr"}
)


def _absolute(href: str, base_url: str) -> str:
    # Site paths ("/members/5") become absolute; anchors and full URLs stay as they are.
    if href.startswith("/") and not href.startswith("//"):
        return base_url.rstrip("/") + href
    return href


class _EmailTextParser(HTMLParser):
    """Sanitised HTML to readable plain text: paragraphs kept, links as 'text (url)'."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(_absolute(href, self.base_url) if href else None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                text = "".join(self.parts).rsplit("\n", 1)[-1]
                if not text.rstrip().endswith(href):
                    self.parts.append(f" ({href})")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if "\n" in data and not data.strip():
            return  # The line breaks between block tags; the tags set the spacing.
        self.parts.append(data)

    def text(self) -> str:
        lines = [" ".join(line.split()) if not line.startswith("- ") else "- " +
                 " ".join(line[2:].split()) for line in "".join(self.parts).split("\n")]  # fmt: skip
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_email_text(value: str, base_url: str) -> str:
    """The plain-text version of sanitised member HTML for the text part of an email:
    paragraphs and list items kept, every link written out as an absolute URL."""
    parser = _EmailTextParser(base_url)
    parser.feed(value or "")
    parser.close()
    return parser.text()


_HREF = re.compile(r'(<a\b[^>]*?\shref=")(/(?!/)[^"]*)(")')


def absolute_links_html(value: str, base_url: str) -> Markup:
    """Sanitised member HTML with site paths made absolute, for the HTML part of an email.

    Only ever given HTML that `sanitize_html` produced (stored on write), so it is safe
    to mark it as markup; attribute values there are always double-quoted."""
    base = base_url.rstrip("/")
    return Markup(_HREF.sub(lambda m: f"{m[1]}{base}{m[2]}{m[3]}", value or ""))  # noqa: S704
