"""The staff's case list searched for words, driven by a trigram index when the words are rare (migration
0024_list_indexes).

The list keeps its own rule: every word typed is somewhere in `staff_search` (the folded code, title and sender's
name: `LIKE '%word%'`, a fragment inside a word too). Read newest first off the unit's index, a word that few of
the unit's cases hold made it read every case of the unit (22,618 at 1,000,000: 90–135 ms). So the cases whose text
holds a word of three characters or more are first asked of the trigram index — PostgreSQL's pg_trgm GIN index,
SQLite's FTS5 trigram table — at most CANDIDATES + 1 of them: when there are no more than CANDIDATES, the list is
read among those ids; otherwise the words are common and the newest-first read meets a page soon. The
`LIKE` conditions stay in both cases, so the rows and their order are exactly the former ones; the index only
narrows. A word shorter than three characters has no trigram: it narrows nothing here (the `LIKE` checks it).
"""

from sqlalchemy import func, literal, literal_column, select, text

from app.db import LIKE_ESCAPE, contains_pattern

from .models import Petition
from .search import fold

TRIGRAM_INDEX = "ix_petition_staff_search_trgm"  # PostgreSQL's
FTS_TABLE = "petition_staff_fts"  # SQLite's, and its shadow tables (petition_staff_fts_data, …)
CANDIDATES = 1_000  # at most this many ids go into the list's query; past it the words are common
TRIGRAM = 3  # characters: a shorter word has no trigram to look up
PROBES = 3  # words looked up on the index at most; the rest are checked on the rows only


def staff_words(q: str) -> list[str]:
    """The distinct folded words of what was typed in the case list's search box (the first ten of 200 chars)."""
    return list(dict.fromkeys(fold(q[:200]).split()[:10]))


def holding_words(words: list[str]) -> list:
    """The list's own rule: every word somewhere in the code, title or sender's name (`%` and `_` literal)."""
    return [Petition.staff_search.like(contains_pattern(word), escape=LIKE_ESCAPE) for word in words]


def rare_word_cases(session, words: list[str]) -> list[int] | None:
    """The ids of every case holding one of the words of three characters or more, found on the trigram index,
    when there are at most CANDIDATES; None when no word is that long or each holds more cases (nothing to
    narrow). One word at a time, longest first (the likeliest rare): two common words that no case holds together
    ("lan sang") would make the database read every case for the pair, while one common word fills the limit
    within a few pages; at most PROBES words are asked."""
    long_words = sorted((word for word in words if len(word) >= TRIGRAM), key=len, reverse=True)
    for word in long_words[:PROBES]:
        probe = _holding_one(session.get_bind().dialect.name, word).limit(literal(CANDIDATES + 1, literal_execute=True))
        ids = list(session.scalars(probe))
        if len(ids) <= CANDIDATES:
            return ids
    return None


def _holding_one(dialect: str, word: str):
    if dialect == "sqlite":
        match = '"' + word.replace('"', '""') + '"'  # a literal string, no query syntax
        fts = select(literal_column("rowid")).select_from(text(FTS_TABLE))
        return fts.where(text(f"{FTS_TABLE} MATCH :match").bindparams(match=match))
    # the index's own expression, and the pattern written into the statement: planned for this word, never a
    # generic plan of any word (a common one read on the index is 250,000 rows to check)
    pattern = literal(contains_pattern(word), literal_execute=True)
    indexed = func.coalesce(Petition.staff_search, "")
    return select(Petition.id).where(indexed.like(pattern, escape=LIKE_ESCAPE))
