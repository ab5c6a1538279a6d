"""Parsing what members type and running the search, on PostgreSQL and SQLite.

One parser turns any input into words, quoted phrases and excluded words; each
database gets an expression rebuilt from those parts only, so no input can cause a
syntax error. Which groups the searcher may read is decided here, at query time.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import (
    Select,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)

from auth.models import FORMER_MEMBER_NAME, User
from core.extensions import db
from forum.models import Thread, thread_tags
from groups.models import Group
from groups.queries import readable_group_ids
from knowledge.models import KnowledgeItem
from knowledge.queries import readable_condition as readable_knowledge
from search.dutch import STOP_WORDS, stems
from search.models import SearchDocument

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
PER_PAGE = 20
MAX_PAGE = 50
COUNT_LIMIT = 1000
SNIPPET_LENGTH = 240
KINDS = ("question", "discussion", "event", "knowledge")

_WORD = re.compile(r"\w+", re.UNICODE)
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def is_searchable(self) -> bool:
        """At least one thing to look for (exclusions alone find nothing)."""
        return bool(self.words or self.phrases)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        return self.words + tuple(word for phrase in self.phrases for word in phrase)


def cut_query(raw: str) -> str:
    """At most MAX_QUERY_LENGTH characters, cut between words where possible."""
    raw = (raw or "").strip()
    if len(raw) <= MAX_QUERY_LENGTH:
        return raw
    cut = raw[: MAX_QUERY_LENGTH + 1]
    return cut.rsplit(None, 1)[0] if " " in cut.strip() else cut[:MAX_QUERY_LENGTH]


def parse_query(raw: str) -> ParsedQuery:
    """Words, "quoted phrases" and -excluded words; everything else is dropped."""
    raw = cut_query(raw)
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for match in _PART.finditer(raw):
        negated_phrase, phrase, negated_word, word = match.groups()
        if phrase is not None:
            tokens = tuple(t.lower() for t in _WORD.findall(phrase))
            if not tokens:
                continue
            if negated_phrase:
                excluded.append(" ".join(tokens))
            elif len(tokens) == 1:
                words.append(tokens[0])
            else:
                phrases.append(tokens)
        else:
            tokens = [t.lower() for t in _WORD.findall(word)]
            if not tokens:
                continue
            if negated_word:
                excluded.extend(tokens)
            else:
                words.extend(tokens)
    # Stop words ("de", "van") are in no index, on either database: leave them out.
    words = list(dict.fromkeys(w for w in words if w not in STOP_WORDS))[:MAX_TERMS]
    excluded = [w for w in excluded if w not in STOP_WORDS]
    return ParsedQuery(tuple(words), tuple(phrases[:MAX_TERMS]), tuple(excluded[:MAX_TERMS]))


def _quote(tokens: str) -> str:
    # Tokens are \w+ only, but quotes are doubled anyway so this can never break out.
    return '"' + tokens.replace('"', '""') + '"'


def _fts5_word(word: str) -> str:
    # The stems of the word's forms, as PostgreSQL's plainto_tsquery('dutch', …) does.
    forms = [_quote(stem) for stem in dict.fromkeys(map(stems, dutch_variants(word))) if stem]
    return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"


def fts5_expression(parsed: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression over the Dutch stems in `search_fts`: stemmed words,
    phrases of stems, NOT for exclusions. None when nothing is left to look for."""
    positive = [_fts5_word(word) for word in parsed.words]
    positive += [_quote(text) for phrase in parsed.phrases if (text := stems(" ".join(phrase)))]
    if not positive:
        return None
    expression = "(" + " AND ".join(positive) + ")"
    for word in parsed.excluded:
        if " " in word:  # an excluded phrase
            if text := stems(word):
                expression += " NOT " + _quote(text)
        else:
            expression += " NOT " + _fts5_word(word)
    return expression


def websearch_text(parsed: ParsedQuery) -> str:
    """Input for PostgreSQL's websearch_to_tsquery rebuilt from the parsed parts."""
    parts = list(parsed.words)
    parts += ['"' + " ".join(phrase) + '"' for phrase in parsed.phrases]
    parts += ["-" + (f'"{word}"' if " " in word else word) for word in parsed.excluded]
    return " ".join(parts)


# --- the search -----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    group_id: int | None = None
    tag_id: int | None = None
    kind: str | None = None
    sector_id: int | None = None
    unanswered: bool = False


@dataclass
class SearchResult:
    kind: str
    object_id: int
    thread_id: int | None
    title: str
    snippet: Markup
    group_name: str
    group_slug: str
    author_name: str | None
    created_at: datetime
    is_question: bool
    is_answered: bool


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    page: int = 1
    total: int = 0
    total_is_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _filtered(stmt: Select, user, filters: SearchFilters) -> Select:
    d = SearchDocument
    # Kennisbank items have no group: whether they may be read is the item's own rule.
    knowledge = and_(
        d.kind == "knowledge",
        d.object_id.in_(select(KnowledgeItem.id).where(readable_knowledge(user))),
    )
    stmt = stmt.where(
        or_(and_(d.kind != "knowledge", d.group_id.in_(readable_group_ids(user))), knowledge),
        d.is_visible.is_(True),
        d.is_thread_visible.is_(True),
        d.is_author_suspended.is_(False),
    )
    if filters.group_id is not None:
        stmt = stmt.where(d.group_id == filters.group_id)
    if filters.sector_id is not None:
        stmt = stmt.where(d.author_sector_id == filters.sector_id)
    if filters.kind in {"event", "knowledge"}:
        stmt = stmt.where(d.kind == filters.kind)
    elif filters.kind == "question":
        stmt = stmt.where(d.kind.in_(("thread", "post")), d.is_question.is_(True))
    elif filters.kind == "discussion":
        stmt = stmt.where(d.kind.in_(("thread", "post")), d.is_question.is_(False))
    if filters.unanswered:
        stmt = stmt.where(d.is_question.is_(True), d.is_answered.is_(False))
    if filters.tag_id is not None:
        stmt = stmt.where(
            exists().where(
                thread_tags.c.thread_id == d.thread_id, thread_tags.c.tag_id == filters.tag_id
            )
        )
    return stmt


def word_prefix(word: str) -> str:
    """The start of a word shared by its Dutch inflections ("radicaliseert" →
    "radicalise", which also begins "radicalisering")."""
    return word[: max(4, len(word) - 3)] if len(word) >= 7 else word


def dutch_variants(word: str) -> tuple[str, ...]:
    """The word and, for a verb form ending in -t, the form without it: the Dutch
    stemmer keeps "radicaliseert" whole but stems "radicaliseer" like "radicalisering"."""
    if len(word) >= 5 and word.endswith("t") and not word.endswith("tt"):
        return (word, word[:-1])
    return (word,)


def _pg_tsquery(parsed: ParsedQuery):
    # Built from functions, never parsed from the input, so no query is a syntax error.
    # Exact lexemes only (no prefix matching): prefix lookups in the GIN index are too
    # slow on a million rows, and Dutch stemming covers most other forms of a word.
    def config():
        return text("'dutch'::regconfig")

    def any_form(word: str):
        if " " in word:  # an excluded phrase
            return func.phraseto_tsquery(config(), word)
        variants = [func.plainto_tsquery(config(), form) for form in dutch_variants(word)]
        query = variants[0]
        for variant in variants[1:]:
            query = func.tsquery_or(query, variant)
        return query

    parts = [any_form(word) for word in parsed.words]
    parts += [func.phraseto_tsquery(config(), " ".join(phrase)) for phrase in parsed.phrases]
    parts += [func.tsquery_not(any_form(word)) for word in parsed.excluded]
    query = parts[0]
    for part in parts[1:]:
        query = func.tsquery_and(query, part)
    return query


_FTS = table("search_fts")


def search(user, raw_query: str, filters: SearchFilters | None = None, page: int = 1) -> SearchPage:
    """The page of results `user` may see for `raw_query`, best match first."""
    filters = filters or SearchFilters()
    page = min(max(page, 1), MAX_PAGE)
    parsed = parse_query(raw_query)
    if not parsed.is_searchable:
        return SearchPage(page=page)
    if db.engine.dialect.name == "postgresql":
        rows, total = _search_postgres(user, parsed, filters, page)
    else:
        rows, total = _search_sqlite(user, parsed, filters, page)
    result = SearchPage(
        page=page, total=min(total, COUNT_LIMIT), total_is_capped=total > COUNT_LIMIT
    )
    for doc, group_name, group_slug, thread_title, author_name, author_status in rows:
        result.results.append(
            SearchResult(
                kind=doc.kind,
                object_id=doc.object_id,
                thread_id=doc.thread_id,
                title=thread_title if doc.kind == "post" and thread_title else doc.title,
                snippet=make_snippet(doc.body_text or doc.title, parsed.highlight_terms),
                group_name=group_name or "",
                group_slug=group_slug or "",
                author_name=author_display_name(author_name, author_status),
                created_at=doc.created_at,
                is_question=doc.is_question,
                is_answered=doc.is_answered,
            )
        )
    return result


def _page_select(source, doc_id):
    # Author name and status only: the User entity would drag in its eager joins.
    d = SearchDocument
    return (
        select(d, Group.name, Group.slug, Thread.title, User.display_name, User.status)
        .select_from(source)
        .join(d, d.id == doc_id)
        .outerjoin(Group, Group.id == d.group_id)
        .outerjoin(Thread, Thread.id == d.thread_id)
        .outerjoin(User, User.id == d.author_id)
    )


def _search_postgres(user, parsed: ParsedQuery, filters: SearchFilters, page: int):
    # Ranking every match of a common word in a million rows is far too slow, so the
    # newest COUNT_LIMIT + 1 matches are the candidates and only they are ranked (for a
    # common word PostgreSQL walks the created_at index backwards; for a rare one it
    # uses the GIN index). The count comes from the same pass as a window function,
    # and only the page of 20 is joined to groups, threads and authors.
    d = SearchDocument
    query = _pg_tsquery(parsed)
    vector = literal_column("search_documents.search_vector")
    candidates = (
        _filtered(select(d.id, d.created_at, vector.label("vector")), user, filters)
        .where(vector.op("@@")(query))
        .order_by(d.created_at.desc())
        .limit(COUNT_LIMIT + 1)
        .cte("candidates")
    )
    rank = func.ts_rank_cd(candidates.c.vector, query).label("rank")
    page_ids = (
        select(candidates.c.id, candidates.c.created_at, rank, func.count().over().label("total"))
        .order_by(rank.desc(), candidates.c.created_at.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .subquery("page_ids")
    )
    stmt = (
        _page_select(page_ids, page_ids.c.id)
        .add_columns(page_ids.c.total)
        .order_by(page_ids.c.rank.desc(), page_ids.c.created_at.desc())
    )
    rows = db.session.execute(stmt).all()
    if rows:
        return [tuple(row[:6]) for row in rows], rows[0].total
    if page == 1:
        return [], 0
    total = db.session.scalar(select(func.count()).select_from(candidates)) or 0
    return [], total


def _search_sqlite(user, parsed: ParsedQuery, filters: SearchFilters, page: int):
    d = SearchDocument
    expression = fts5_expression(parsed)
    if expression is None:  # a phrase of stop words only
        return [], 0
    ranked = (
        select(
            literal_column("rowid").label("doc_id"),
            literal_column("bm25(search_fts, 5.0, 1.0)").label("score"),
        )
        .select_from(_FTS)
        .where(literal_column("search_fts").op("MATCH")(expression))
        .subquery()
    )
    counted = _filtered(select(d.id).join(ranked, ranked.c.doc_id == d.id), user, filters)
    total = db.session.scalar(
        select(func.count()).select_from(counted.limit(COUNT_LIMIT + 1).subquery())
    )
    if not total:
        return [], 0
    stmt = _filtered(_page_select(ranked, ranked.c.doc_id), user, filters)
    stmt = (
        stmt.order_by(ranked.c.score, d.created_at.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return db.session.execute(stmt).all(), total


def knowledge_matches(raw_query: str) -> Select:
    """Ids of kennisbank items whose index row matches `raw_query` (visibility is left
    to the caller). Registered with `knowledge.queries.register_text_search`."""
    d = SearchDocument
    parsed = parse_query(raw_query)
    if not parsed.is_searchable:
        return select(d.object_id).where(False)
    stmt = select(d.object_id).where(d.kind == "knowledge")
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("search_documents.search_vector")
        return stmt.where(vector.op("@@")(_pg_tsquery(parsed)))
    # Few kennisbank rows among very many posts: look each one up in the FTS table by
    # rowid rather than collecting every post that matches a common word.
    matching = (
        select(literal_column("1"))
        .select_from(_FTS)
        .where(
            literal_column("search_fts").op("MATCH")(fts5_expression(parsed)),
            literal_column("search_fts.rowid") == d.id,
        )
    )
    return stmt.where(matching.exists())


def author_display_name(name: str | None, status: str | None) -> str:
    """The name to show; deleted, removed or inactive accounts are 'Oud-lid'."""
    if name is None or status != "active":
        return FORMER_MEMBER_NAME
    return name


# --- snippets -------------------------------------------------------------------------


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return kept[:1] if kept else char.lower()[:1]


def _fold(value: str) -> str:
    """Lower case without diacritics, one character out for every character in."""
    if not value.isascii():
        value = value.translate({ord(c): _fold_char(c) for c in set(value) if not c.isascii()})
    folded = value.lower()
    return folded if len(folded) == len(value) else "".join(_fold_char(c) for c in value)


def _stem_prefix(term: str) -> str:
    # The database may have matched another form of the word (stemming or a prefix):
    # highlight words that share the first letters ("jongere" marks "jongeren").
    return word_prefix(_fold(term))


def make_snippet(text_value: str, terms: tuple[str, ...], length: int = SNIPPET_LENGTH) -> Markup:
    """A window of plain text around the first match, escaped, matches in <mark>."""
    text_value = text_value or ""
    prefixes = sorted({_stem_prefix(t) for t in terms if t}, key=len, reverse=True)
    folded = _fold(text_value)
    pattern = (
        re.compile(r"\b(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.UNICODE)
        if prefixes
        else None
    )
    start = 0
    if pattern is not None:
        first = pattern.search(folded)
        if first is not None and first.start() > length // 3:
            start = text_value.rfind(" ", 0, first.start() - length // 3) + 1
    end = min(len(text_value), start + length)
    if end < len(text_value):
        cut = text_value.rfind(" ", start, end)
        end = cut if cut > start else end
    pieces: list[str] = ["…" if start > 0 else ""]
    position = start
    if pattern is not None:
        for match in pattern.finditer(folded, start, end):
            pieces.append(str(escape(text_value[position : match.start()])))
            pieces.append(
                "<mark>" + str(escape(text_value[match.start() : match.end()])) + "</mark>"
            )
            position = match.end()
    pieces.append(str(escape(text_value[position:end])))
    if end < len(text_value):
        pieces.append("…")
    return Markup("".join(pieces))  # noqa: S704 - every piece of text was escaped above
