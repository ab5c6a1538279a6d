"""Dutch stemming for the embedded default (SQLite FTS5), the same as PostgreSQL's
`dutch` configuration: Porter's Snowball stemmer for Dutch (`dutch_porter` in Snowball
3; PostgreSQL 15–17 ship it as `dutch_stem`) and PostgreSQL's Dutch stop words.

FTS5 cannot run a Python tokenizer, so the text is stemmed before it reaches FTS5:
the triggers on `search_documents` call the SQL function `dutch_stems(text)`, which
every SQLite connection gets on connect, and queries are built from stems
(`search.queries.fts5_expression`). "radicaliseren" and "radicalisering" both become
"radicaliser", as in PostgreSQL.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache

from snowballstemmer.dutch_porter_stemmer import DutchPorterStemmer
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQL_FUNCTION = "dutch_stems"

# PostgreSQL's tsearch_data/dutch.stop (from the Snowball project): never indexed.
_STOP_LIST = """
de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar
om hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar
haar naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden
toch al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier
wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand
geweest andere
"""
STOP_WORDS = frozenset(_STOP_LIST.split())

_WORD = re.compile(r"\w+", re.UNICODE)
_stemmer = DutchPorterStemmer()
_lock = threading.Lock()  # a Snowball stemmer object keeps state while it works


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lower-case word ("jongeren" → "jonger")."""
    with _lock:
        return _stemmer.stemWord(word)


def stems(text: str | None) -> str:
    """The text as it is indexed: the stems of its words, stop words left out."""
    if not text:
        return ""
    words = (word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS)
    return " ".join(stem(word) for word in words)


def register_sqlite_functions(dbapi_connection) -> None:
    dbapi_connection.create_function(SQL_FUNCTION, 1, stems, deterministic=True)


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        register_sqlite_functions(dbapi_connection)
