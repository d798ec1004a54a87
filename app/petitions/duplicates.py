"""Likely duplicates of a petition, and repeats of an answered one.

Seed 002 Art. 7.4 forbids posting the same report twice; seed 002 Art. 4.7 and seed 003 §II.1 send a matter the
sender raises again after its answer to the chair. At classification the intake clerk sees, ranked by a score:
- the same sender's earlier cases of the last REPEAT_WINDOW_DAYS (by account, e-mail or phone), and
- anyone's cases of the same field and commune of the last WINDOW_DAYS,
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
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import aliased

from app.db import utcnow

from .models import Petition
from .search import fold

WINDOW_DAYS = 90  # others' reports: a street lamp reported twice in a season is one lamp
REPEAT_WINDOW_DAYS = 365  # the same sender: a matter raised again within a year of its answer
SAME_SENDER_BONUS = 0.1  # a sender rarely writes twice about unrelated things in similar words
SHOWN_FROM = 0.25  # below: not shown to the clerk
LIKELY_FROM = 0.4  # "likely duplicate" at classification
REPEAT_FROM = 0.55  # text similarity for the repeat link made at submission, without the clerk: stricter
MAX_CANDIDATES = 200  # newest first: a bounded cost per classification
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


def _held(digest: str | None) -> tuple[Counter, float] | None:
    """The vector of the text with this digest, if this process holds it (None: the text must be read)."""
    if digest is None:
        return None
    with _vectors_lock:
        vector = _vectors.get(digest)
        if vector is not None:
            _vectors.move_to_end(digest)
        return vector


def _vector(text: str) -> tuple[Counter, float]:
    """Terms and norm of a text, kept by its digest: the same candidates are scored again at submission, on the
    classification form and when it is sent. A key computed from the text read is never stale."""
    global _held_terms  # noqa: PLW0603 — the cache's size, kept with it under its lock
    digest = _digest(text)
    vector = _held(digest)
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


def _same_sender_clause(petition: Petition, entity=Petition):
    clauses = []
    if petition.sender_user_id:
        clauses.append(entity.sender_user_id == petition.sender_user_id)
    if petition.sender_email:
        clauses.append(entity.sender_email == petition.sender_email)
    if petition.sender_phone:
        clauses.append(entity.sender_phone == petition.sender_phone)
    return or_(*clauses) if clauses else None


@dataclass(frozen=True)
class _Scored:
    petition_id: int
    score: float
    same_sender: bool
    similarity: float
    answered: bool


def _candidates(petition: Petition, now: datetime, entity=Petition) -> list:
    """What makes an earlier case a candidate (of `entity`: Petition or an alias of it)."""
    same_place = and_(
        entity.field_code == petition.field_code,
        entity.commune_code == petition.commune_code if petition.commune_code else entity.id.is_not(None),
        entity.received_at >= now - timedelta(days=WINDOW_DAYS),
    )
    same_sender = _same_sender_clause(petition, entity)
    if same_sender is not None:
        same_sender = and_(same_sender, entity.received_at >= now - timedelta(days=REPEAT_WINDOW_DAYS))
    return [
        entity.province_code == petition.province_code,
        entity.id != petition.id,
        entity.received_at <= petition.received_at,
        entity.state_secret.is_(False),
        entity.status != "closed_duplicate",
        or_(same_place, same_sender) if same_sender is not None else same_place,
    ]


def _newest_first(entity=Petition) -> tuple:
    # ties by id: the same MAX_CANDIDATES on every database (clones and batch imports share instants)
    return entity.received_at.desc(), entity.id.desc()


# The columns a candidate is scored by: its text is read only when its vector is not held (text_digest).
_COLUMNS = (
    Petition.id,
    Petition.text_digest,
    Petition.sender_user_id,
    Petition.sender_email,
    Petition.sender_phone,
    Petition.published_at.is_not(None).label("answered"),  # a flag, not an instant to convert
)


def _scored(session, petition: Petition, now: datetime | None) -> list[_Scored]:
    """Every candidate scored SHOWN_FROM or more, best first, read as columns (whole petitions are loaded only
    for the ones kept)."""
    now = now or utcnow()
    rows = session.execute(
        select(*_COLUMNS).where(*_candidates(petition, now)).order_by(*_newest_first()).limit(MAX_CANDIDATES)
    ).all()
    return _scores(session, petition, rows)


def _scores(session, petition: Petition, rows) -> list[_Scored]:
    """The rows (of _COLUMNS) scored SHOWN_FROM or more against the petition, best first."""
    vectors = {row.id: _held(row.text_digest) for row in rows}
    missing = [row_id for row_id, vector in vectors.items() if vector is None]
    if missing:
        texts = select(Petition.id, Petition.title, Petition.content).where(Petition.id.in_(missing))
        vectors |= {row.id: _vector(f"{row.title}\n{row.content}") for row in session.execute(texts)}
    own = _vector(text_of(petition))
    cosines = {}  # texts alike to the letter (copies, campaigns) share one held vector: one cosine
    found = []
    for other in rows:
        vector = vectors.get(other.id)
        if vector is None:  # deleted since the first read
            continue
        alike = cosines.get(id(vector))
        if alike is None:
            alike = cosines[id(vector)] = _cosine(own, vector)
        same = sent_by_same(petition, other)
        scored = score(same, alike)
        if scored >= SHOWN_FROM:
            found.append(_Scored(other.id, scored, same, round(alike, 3), bool(other.answered)))
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


_EDGE = aliased(Petition, name="edge")  # made once: an alias's columns are slow to build


def earlier_answered(session, petition: Petition) -> Candidate | None:
    """The same sender's answered case this one likely repeats (linked at submission), if any.

    Only what a repeat can be is read (the same sender's answered candidates), within the MAX_CANDIDATES newest
    candidates of all: the same link as the best such case among `_scored`'s (tests/test_duplicate_costs.py)."""
    same_sender = _same_sender_clause(petition)
    if same_sender is None:
        return None
    now = utcnow()
    # the MAX_CANDIDATES-th newest candidate of all (none: fewer): older ones are not scored by `_scored`
    edge = (
        select(_EDGE.received_at.label("at"), _EDGE.id)
        .where(*_candidates(petition, now, _EDGE))
        .order_by(*_newest_first(_EDGE))
        .offset(MAX_CANDIDATES - 1)
        .limit(1)
        .subquery("last_scored")
    )
    within = or_(
        edge.c.id.is_(None),
        Petition.received_at > edge.c.at,
        and_(Petition.received_at == edge.c.at, Petition.id >= edge.c.id),
    )
    rows = session.execute(
        select(*_COLUMNS)
        .outerjoin(edge, true())
        .where(*_candidates(petition, now), same_sender, Petition.published_at.is_not(None), within)
        .order_by(*_newest_first())
        .limit(MAX_CANDIDATES)
    ).all()
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
