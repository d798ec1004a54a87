"""The public search on a full-text index the database keeps (migration 0020_fulltext), so that every write —
an operation, a correction, a bulk Core insert — is searchable at once.

- PostgreSQL: a stored generated column `search_vector` = `strip(to_tsvector('simple', search_text))` (the words
  without their positions: 0027_search_vector_stripped, 0.75 KB less a petition) with a GIN index.
  Stored rather than an expression index: at 1,000,000 cases an expression index made PostgreSQL parse the text
  of every candidate again (57 s for a common word) and, without statistics of the words, walk the whole
  publication index for a rare one (57 s); with the column, ANALYZE knows each word's frequency.
- SQLite: the FTS5 table `petition_fts` over `petition.search_text` (external content, no second copy of the
  text) kept by triggers. A later SQLite migration
  that rebuilds `petition` (batch_alter_table) drops those triggers and must create them again (the Core-write test
  of tests/test_search_indexes.py fails otherwise).
- No `unaccent`: `search_text` and the words typed are both folded by `search.fold` (no diacritics, đ → d, lower
  case) before they reach the database, so the index and the query already agree on both databases; `unaccent`
  would fold again what is folded, needs an extension created by a superuser (or a trusted-extension owner) and a
  wrapper declared IMMUTABLE to be indexable — a cost and a failure mode for nothing. 'simple' has no stemming
  and no stop words, which Vietnamese syllables need: "co" (có, cơ, cô) is a word, not noise.
- A word typed matches the same word of the text (a Vietnamese syllable, folded: "thoat" finds "thoát"), not its
  beginning nor a fragment inside one as the former `LIKE '%…%'` did. Whole words are what PostgreSQL keeps
  statistics of: at 1,000,000 cases a beginning (`thoa:*`) got a guessed frequency, and a common one made it
  read 700,000 matches to sort them (4 s), a rare one walk the publication index (1.4 s).
- Every word must match (AND). A word with punctuation inside ("lan-chiem", "1.5", "t_c"): on SQLite a phrase of
  FTS5's tokens; on PostgreSQL, whose vector keeps no positions, every token the parser makes of it (a hyphenated
  or dotted word is a token of its own there, so "lan-chiem" and "1.5" stay exact; "t_c" is "t" and "c"); a word
  of punctuation only finds nothing. What is typed is never query syntax: SQLite gets each word as a quoted FTS5
  string (its quotes doubled), PostgreSQL gets a bound parameter through `plainto_tsquery`, or `to_tsquery` only
  for a word of ASCII letters and digits.
"""

import re
from functools import reduce

from sqlalchemy import false, func, literal_column, select, text

from . import staff_search
from .models import Petition

FTS_TABLE = "petition_fts"  # SQLite's index and its shadow tables (petition_fts_data, …)
GIN_INDEX = "ix_petition_search_fts"  # PostgreSQL's
VECTOR_COLUMN = "search_vector"  # PostgreSQL's, generated from search_text: the migration's, not the models'
SEARCH_VECTOR = literal_column(f"petition.{VECTOR_COLUMN}")
PLAIN_WORD = re.compile(r"[a-z0-9]+")  # no character the query languages read
HAS_TOKEN = re.compile(r"[^\W_]")  # a letter or a digit: something both databases index


def models_name(name: str | None, _type=None, _parent_names=None) -> bool:
    """Alembic's include_name: the full-text and trigram objects are the migrations', not the models'
    (autogenerate must neither add nor drop them)."""
    ours = (GIN_INDEX, FTS_TABLE, VECTOR_COLUMN, staff_search.TRIGRAM_INDEX, staff_search.FTS_TABLE)
    return not (name and (name in ours or name.startswith((f"{FTS_TABLE}_", f"{staff_search.FTS_TABLE}_"))))


def _simple():
    return literal_column("'simple'")  # a constant, so that PostgreSQL matches the index's expression


def holding(dialect: str, words: list[str]):
    """A condition true for the petitions whose search text holds every word (folded words, see search_words);
    None without words (no condition), false when no word has a letter or a digit."""
    if not words:
        return None
    words = [w for w in words if HAS_TOKEN.search(w)]
    if not words:
        return false()
    if dialect == "sqlite":
        matching = text(f"{FTS_TABLE} MATCH :fts").bindparams(fts=fts5_match(words))
        return Petition.id.in_(select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(matching))
    queries = [
        func.to_tsquery(_simple(), w) if PLAIN_WORD.fullmatch(w) else func.plainto_tsquery(_simple(), w) for w in words
    ]
    return SEARCH_VECTOR.op("@@")(reduce(lambda a, b: a.op("&&")(b), queries))


def fts5_match(words: list[str]) -> str:
    """SQLite: every word as a quoted FTS5 string (its quotes doubled), all required."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def holding_among(session, words: list[str], ids: list[int]) -> set[int]:
    """SQLite: which of these petitions hold every word, FTS5 asked about these rows only (each a look-up in the
    words' lists) instead of listing every row that holds a common word."""
    words = [w for w in words if HAS_TOKEN.search(w)]
    if not words or not ids:
        return set()
    marks = ", ".join(str(int(i)) for i in ids)
    statement = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts AND rowid IN ({marks})")
    return set(session.scalars(statement.bindparams(fts=fts5_match(words))))


def holding_first(session, words: list[str], limit: int) -> list[int]:
    """SQLite: up to `limit` petitions holding every word, straight off FTS5 (which stops there; a condition
    `id IN (…MATCH…)` would list every holder first)."""
    words = [w for w in words if HAS_TOKEN.search(w)]
    if not words:
        return []
    statement = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts LIMIT :n")
    return list(session.scalars(statement.bindparams(fts=fts5_match(words), n=limit)))
