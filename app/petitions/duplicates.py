"""Likely duplicates of a petition, and repeats of an answered one.

Seed 002 Art. 7.4 forbids posting the same report twice; seed 002 Art. 4.7 and seed 003 §II.1 send a matter the
sender raises again after its answer to the chair. At classification the intake clerk sees, ranked by a score:
- the same sender's earlier cases of the last REPEAT_WINDOW_DAYS (by account, e-mail or phone), and
- anyone's cases of the same field and commune of the last WINDOW_DAYS (duplicate_candidates.py's queries),
each scored by how alike their texts are. A candidate already answered is a repeat: the new case is linked to it
at submission when the same sender wrote it in words alike (REPEAT_FROM), and the clerk is offered escalation.

Method: both texts are folded (no diacritics, lower case), cut into syllables without Vietnamese function words,
and compared as vectors of syllables and adjacent syllable pairs (Vietnamese words are mostly two syllables) by
cosine; score = that similarity, plus SAME_SENDER_BONUS when the same sender wrote both. Precision and recall at
LIKELY_FROM are measured on labelled pairs in tests/test_duplicates.py (0.92 and 1.0 on 26 pairs).

Cost: each process keeps the term vectors it computed, by the md5 of the text (`petition.text_digest`, kept with
the text: models.py on every ORM write, triggers of migration 0025_duplicate_terms on any other), so the
candidates' texts are read from the database only when their vector is not held yet.
"""

import hashlib
import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from app.db import utcnow

from .duplicate_candidates import answered_by_sender, candidates, shape, values
from .models import Petition
from .search import fold

SAME_SENDER_BONUS = 0.1  # a sender rarely writes twice about unrelated things in similar words
SHOWN_FROM = 0.25  # below: not shown to the clerk
LIKELY_FROM = 0.4  # "likely duplicate" at classification
REPEAT_FROM = 0.55  # text similarity for the repeat link made at submission, without the clerk: stricter
MAX_SHOWN = 20  # the best ones the clerk is shown: a longer list is not read, and each is one more row loaded
# terms of the vectors kept per process (~90 bytes each: ~35 MB), least recently used out: some thousand cases
MAX_HELD_TERMS = 400_000

# Vietnamese function words (folded): they make any two texts look alike.
STOPWORDS = frozenset(
    "va cua la co cac nhung duoc tai trong cho voi khong da nay de thi o tu den mot ra vao len nen ma neu khi "
    "do theo ve toi chung em anh chi ong ba bi rat con cung van dang se hay hoac nhu vi tren duoi sau truoc".split()
)
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    petition: Petition
    score: float  # 0 to 1
    same_sender: bool
    similarity: float  # of the texts alone

    @property
    def answered(self) -> bool:
        """Its answer is out: the new case repeats a matter already answered (escalation is offered)."""
        return self.petition.published_at is not None

    @property
    def likely(self) -> bool:
        return self.score >= LIKELY_FROM


def terms(text: str) -> Counter:
    """Syllables (function words left out) and adjacent pairs of the folded text."""
    words = [w for w in WORD.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]
    return Counter(words) + Counter(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))


def similarity(a: str, b: str) -> float:
    """Cosine of the two texts' term vectors: 1 the same words, 0 none in common."""
    return _cosine(_vector(a), _vector(b))


def _cosine(a: tuple[Counter, float], b: tuple[Counter, float]) -> float:
    (ta, na), (tb, nb) = a, b
    if len(ta) > len(tb):
        ta, tb = tb, ta
    common = sum(count * tb[t] for t, count in ta.items() if t in tb)
    return common / (na * nb) if common else 0.0


def text_digest(title: str, content: str) -> str:
    """The key of a petition's text (title and content): md5, as PostgreSQL's md5() of the same text gives it."""
    return _digest(f"{title}\n{content}")


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


_vectors: OrderedDict[str, tuple[Counter, float]] = OrderedDict()  # by text digest, least recently used first
_vectors_lock = threading.Lock()  # a worker's threads share them
_held_terms = 0  # in _vectors


def forget_vectors() -> None:
    """Drop every vector held (as a process starting afresh)."""
    global _held_terms  # noqa: PLW0603
    with _vectors_lock:
        _vectors.clear()
        _held_terms = 0


def held_terms() -> int:
    """How many terms the vectors held count (the cache's bound: MAX_HELD_TERMS)."""
    return _held_terms


def _held(*digests: str | None) -> dict[str, tuple[Counter, float]]:
    """The vectors this process holds of the texts with these digests (the others' texts must be read)."""
    found = {}
    with _vectors_lock:
        for digest in set(digests):
            vector = _vectors.get(digest) if digest is not None else None
            if vector is not None:
                _vectors.move_to_end(digest)
                found[digest] = vector
    return found


def _vector(text: str) -> tuple[Counter, float]:
    """Terms and norm of a text, kept by its digest: the same candidates are scored again at submission, on the
    classification form and when it is sent. A key computed from the text read is never stale."""
    global _held_terms  # noqa: PLW0603 — the cache's size, kept with it under its lock
    digest = _digest(text)
    vector = _held(digest).get(digest)
    if vector is None:
        terms_of = terms(text)
        vector = terms_of, math.sqrt(sum(v * v for v in terms_of.values()))
        with _vectors_lock:
            if digest not in _vectors:
                _vectors[digest] = vector
                _held_terms += len(terms_of)
            while _held_terms > MAX_HELD_TERMS and len(_vectors) > 1:
                _held_terms -= len(_vectors.popitem(last=False)[1][0])
    return vector


def score(same_sender: bool, text_similarity: float) -> float:
    return round(min(1.0, text_similarity + (SAME_SENDER_BONUS if same_sender else 0.0)), 3)


def text_of(petition: Petition) -> str:
    return f"{petition.title}\n{petition.content}"


def sent_by_same(a, b) -> bool:
    """Same account, e-mail or phone (of two petitions, or rows with those columns)."""
    return bool(
        (a.sender_user_id and a.sender_user_id == b.sender_user_id)
        or (a.sender_email and a.sender_email == b.sender_email)
        or (a.sender_phone and a.sender_phone == b.sender_phone)
    )


class _Sender(NamedTuple):
    sender_user_id: int | None
    sender_email: str | None
    sender_phone: str | None


class _Scored(NamedTuple):
    petition_id: int
    score: float
    same_sender: bool
    similarity: float
    answered: bool


def _scored(session, petition: Petition, now: datetime | None) -> list[_Scored]:
    """Every candidate scored SHOWN_FROM or more, best first, read as columns (whole petitions are loaded only
    for the ones kept)."""
    rows = session.execute(candidates(shape(petition)), values(petition, now or utcnow())).all()
    return _scores(session, petition, rows)


def _scores(session, petition: Petition, rows) -> list[_Scored]:
    """The rows (duplicate_candidates.COLUMNS) scored SHOWN_FROM or more against the petition, best first."""
    held = _held(*(row.text_digest for row in rows))
    vectors = {row.id: held.get(row.text_digest) for row in rows}
    missing = [row_id for row_id, vector in vectors.items() if vector is None]
    if missing:
        texts = select(Petition.id, Petition.title, Petition.content).where(Petition.id.in_(missing))
        vectors |= {row.id: _vector(f"{row.title}\n{row.content}") for row in session.execute(texts)}
    own = _vector(text_of(petition))
    sender = _Sender(petition.sender_user_id, petition.sender_email, petition.sender_phone)  # read once
    by_vector = {}  # texts alike to the letter (copies, campaigns) share one held vector: one cosine
    found = []
    for other in rows:
        vector = vectors.get(other.id)
        if vector is None:  # deleted since the first read
            continue
        same = sent_by_same(sender, other)
        scored = by_vector.get((id(vector), same))
        if scored is None:
            alike = _cosine(own, vector)
            scored = by_vector[id(vector), same] = score(same, alike), round(alike, 3)
        if scored[0] >= SHOWN_FROM:
            found.append(_Scored(other.id, scored[0], same, scored[1], bool(other.answered)))
    return sorted(found, key=lambda c: (-c.score, -c.petition_id))


def _as_candidates(session, scored: list[_Scored]) -> list[Candidate]:
    petitions = {
        p.id: p for p in session.scalars(select(Petition).where(Petition.id.in_([c.petition_id for c in scored])))
    }
    return [Candidate(petitions[c.petition_id], c.score, c.same_sender, c.similarity) for c in scored]


def likely_duplicates(session, petition: Petition, now: datetime | None = None) -> list[Candidate]:
    """Earlier cases of the province that may be the same matter, best first (scored SHOWN_FROM or more, the
    MAX_SHOWN best).

    State secrets and cases already closed as duplicates (their original stands for them) are never offered."""
    return _as_candidates(session, _scored(session, petition, now)[:MAX_SHOWN])


def earlier_answered(session, petition: Petition) -> Candidate | None:
    """The same sender's answered case this one likely repeats (linked at submission), if any.

    Only what a repeat can be is read (the same sender's answered candidates), within the MAX_CANDIDATES newest
    candidates of all: the same link as the best such case among `_scored`'s (tests/test_duplicate_costs.py)."""
    statement = answered_by_sender(shape(petition))
    if statement is None:
        return None
    rows = session.execute(statement, values(petition, utcnow())).all()
    for candidate in _scores(session, petition, rows):
        if candidate.same_sender and candidate.answered and candidate.similarity >= REPEAT_FROM:
            return _as_candidates(session, [candidate])[0]
    return None


def original_of(session, petition: Petition) -> Petition:
    """The case a duplicate stands for (a duplicate of a duplicate leads to the first)."""
    seen = {petition.id}
    while petition.original_id and petition.link_kind == "duplicate":
        petition = session.get(Petition, petition.original_id)
        if petition.id in seen:
            break
        seen.add(petition.id)
    return petition


def link_repeat(session, petition: Petition) -> Petition | None:
    """At submission: link a new case to the same sender's answered case it likely repeats (the clerk is then
    offered escalation). The earlier case, or None."""
    found = earlier_answered(session, petition)
    if found is None:
        return None
    petition.original_id, petition.link_kind = found.petition.id, "repeat"
    return found.petition
