"""Markdown rendering and HTML sanitising: the only place bleach is imported.

Text is rendered once, on write: markdown-it-py turns the source into HTML with raw
HTML disabled, then bleach keeps a strict allow-list of tags, attributes and URL
schemes. Templates print the stored result and never render user input themselves.
"""

from __future__ import annotations

import html
import re
import unicodedata
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
    return Markup(sanitize_html(_markdown().render(source)))  # noqa: S704 - sanitised just now


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
