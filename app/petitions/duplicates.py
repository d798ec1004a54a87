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
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, or_, select

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
    (ta, na), (tb, nb) = _vector(a), _vector(b)
    if len(ta) > len(tb):
        ta, tb = tb, ta
    common = sum(count * tb[t] for t, count in ta.items() if t in tb)
    return common / (na * nb) if common else 0.0


@lru_cache(maxsize=1024)
def _vector(text: str) -> tuple[Counter, float]:
    """Terms and norm of a text, kept: the same candidates are scored again at submission, on the classification
    form and when it is sent (1,024 texts of a few KB: some MB per process)."""
    vector = terms(text)
    return vector, math.sqrt(sum(v * v for v in vector.values()))


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


def _same_sender_clause(petition: Petition):
    clauses = []
    if petition.sender_user_id:
        clauses.append(Petition.sender_user_id == petition.sender_user_id)
    if petition.sender_email:
        clauses.append(Petition.sender_email == petition.sender_email)
    if petition.sender_phone:
        clauses.append(Petition.sender_phone == petition.sender_phone)
    return or_(*clauses) if clauses else None


@dataclass(frozen=True)
class _Scored:
    petition_id: int
    score: float
    same_sender: bool
    similarity: float
    answered: bool


def _scored(session, petition: Petition, now: datetime | None) -> list[_Scored]:
    """Every candidate scored SHOWN_FROM or more, best first, read as columns (whole petitions are loaded only
    for the ones kept)."""
    now = now or utcnow()
    same_place = and_(
        Petition.field_code == petition.field_code,
        Petition.commune_code == petition.commune_code if petition.commune_code else Petition.id.is_not(None),
        Petition.received_at >= now - timedelta(days=WINDOW_DAYS),
    )
    same_sender = _same_sender_clause(petition)
    if same_sender is not None:
        same_sender = and_(same_sender, Petition.received_at >= now - timedelta(days=REPEAT_WINDOW_DAYS))
    rows = session.execute(
        select(
            Petition.id,
            Petition.title,
            Petition.content,
            Petition.sender_user_id,
            Petition.sender_email,
            Petition.sender_phone,
            Petition.published_at,
        )
        .where(
            Petition.province_code == petition.province_code,
            Petition.id != petition.id,
            Petition.received_at <= petition.received_at,
            Petition.state_secret.is_(False),
            Petition.status != "closed_duplicate",
            or_(same_place, same_sender) if same_sender is not None else same_place,
        )
        .order_by(Petition.received_at.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    text = text_of(petition)
    found = []
    for other in rows:
        same = sent_by_same(petition, other)
        alike = similarity(text, text_of(other))
        if score(same, alike) >= SHOWN_FROM:
            found.append(_Scored(other.id, score(same, alike), same, round(alike, 3), other.published_at is not None))
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
    """The same sender's answered case this one likely repeats (linked at submission), if any."""
    for candidate in _scored(session, petition, None):
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
