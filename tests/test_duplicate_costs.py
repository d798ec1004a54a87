"""Duplicate detection made cheap (issue 18 point 3) with the same results: the candidates' term vectors are kept
per process by the digest of their text (a text changed by any writer is read again, never scored stale), the
classification looks its candidates up only to check a choice, and the repeat link at submission reads only the
same sender's answered cases — the same link as before."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select, text, update

from app.db import make_engine
from app.errors import FormInvalid
from app.petitions.duplicate_candidates import MAX_CANDIDATES
from app.petitions.duplicates import (
    MAX_HELD_TERMS,
    MAX_SHOWN,
    REPEAT_FROM,
    SHOWN_FROM,
    _scored,
    earlier_answered,
    forget_vectors,
    held_terms,
    likely_duplicates,
    score,
    sent_by_same,
    similarity,
    terms,
    text_digest,
    text_of,
)
from app.petitions.models import Petition
from app.schema import head_revision, migrate

from .conftest import act, submit
from .test_duplicates import LIGHTS, OTHER_SENDER, PAIRS, POTHOLE, POTHOLE_AGAIN
from .test_migrations import previous_release_file


def ranking(candidates) -> list[tuple]:
    return [(c.petition.id, c.score, c.same_sender, c.similarity) for c in candidates]


def from_the_texts(session, petition: Petition, earlier: list[Petition]) -> list[tuple]:
    """The ranking computed from the texts themselves, as the method defines it (no cache, no digest)."""
    found = []
    for other in earlier:
        same, alike = sent_by_same(petition, other), similarity(text_of(petition), text_of(other))
        if score(same, alike) >= SHOWN_FROM:
            found.append((other.id, score(same, alike), same, round(alike, 3)))
    return sorted(found, key=lambda c: (-c[1], -c[0]))[:MAX_SHOWN]


def test_the_labelled_pairs_rank_as_their_texts_do_with_the_vectors_held_or_not(session):
    cases = []
    for pair in PAIRS["pairs"]:
        for side in ("a", "b"):
            title, content = pair[side].split("\n", 1)
            other = side == "b" and not pair["same_sender"]
            sender = OTHER_SENDER if other else {}
            cases.append(submit(session, None if other else "citizen", **sender, title=title, content=content))
    session.commit()
    expected = {p.id: from_the_texts(session, p, cases[:n]) for n, p in enumerate(cases)}
    assert sum(len(ranked) for ranked in expected.values()) > len(cases)  # pairs alike enough to be shown
    forget_vectors()
    assert {p.id: ranking(likely_duplicates(session, p)) for p in cases} == expected  # each text read once
    texts = {text_of(p) for p in cases}
    assert sum(len(terms(t)) for t in texts) <= held_terms() <= MAX_HELD_TERMS  # each counted once, bounded
    assert {p.id: ranking(likely_duplicates(session, p)) for p in cases} == expected  # every vector held
    session.execute(update(Petition).values(text_digest=None))  # no digest known: every text read again
    assert {p.id: ranking(likely_duplicates(session, p)) for p in cases} == expected


def test_a_text_changed_by_another_writer_is_read_again_not_scored_stale(session, sessions):
    first = submit(session, **POTHOLE)
    second = submit(session, None, **OTHER_SENDER, **POTHOLE_AGAIN)
    session.commit()
    alike = ranking(likely_duplicates(session, second))  # first's vector is now held by this process
    assert alike[0][0] == first.id and alike[0][1] >= 0.5

    def rewritten(write, **texts):
        with sessions() as other:  # another connection: another worker or the scheduler
            write(other, **texts)
            other.commit()
        session.commit()
        digest = session.scalar(select(Petition.text_digest).where(Petition.id == first.id))
        assert digest in (None, text_digest(texts["title"], texts["content"]))  # SQLite clears, PostgreSQL computes
        return ranking(likely_duplicates(session, second))

    def by_the_orm(other, title, content):
        petition = other.get(Petition, first.id)
        petition.title, petition.content = title, content

    def by_core(other, **texts):
        other.execute(update(Petition).where(Petition.id == first.id).values(**texts))

    def by_sql_keeping_the_old_digest(other, title, content):
        other.execute(
            text("UPDATE petition SET title = :t, content = :c, text_digest = text_digest WHERE id = :i"),
            {"t": title, "c": content, "i": first.id},
        )

    lights = {"title": LIGHTS["title"], "content": LIGHTS["content"]}
    pothole = {"title": POTHOLE["title"], "content": POTHOLE["content"]}
    assert first.id not in [c[0] for c in rewritten(by_the_orm, **lights)]  # another matter now: not shown
    assert rewritten(by_core, **pothole) == alike
    assert first.id not in [c[0] for c in rewritten(by_sql_keeping_the_old_digest, **lights)]
    assert rewritten(by_sql_keeping_the_old_digest, **pothole) == alike
    assert first.id not in [c[0] for c in rewritten(by_core, **lights)]


def test_the_classification_looks_its_candidates_up_only_to_check_a_chosen_case(session):
    original = submit(session, **POTHOLE)
    forwarded = submit(session, None, **OTHER_SENDER, **POTHOLE_AGAIN)
    duplicate = submit(session, None, **OTHER_SENDER, **POTHOLE_AGAIN)
    looked_up = []

    def keep(_conn, _cursor, statement, parameters, *_rest):
        # the candidates' query: the province's earlier cases, duplicates already closed left out
        if "petition.received_at <=" in statement and "closed_duplicate" in repr(parameters):
            looked_up.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        act(session, "intake", forwarded, "classify", decision="forward", lead_agency="QNG-SXD", original="")
        assert forwarded.status == "handling" and looked_up == []
        with pytest.raises(FormInvalid) as refused:
            act(session, "intake", duplicate, "classify", decision="duplicate", original="ZZZZ-9999")
        assert len(looked_up) == 1
        (error,) = refused.value.errors
        assert (error.field, error.rule) == ("original", "enum")
        assert f"{original.tracking_code} – {original.title}" in error.params["allowed"]
        session.rollback()
        act(session, "intake", duplicate, "classify", decision="duplicate", original=original.tracking_code)
        assert len(looked_up) == 2
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert (duplicate.status, duplicate.original_id) == ("closed_duplicate", original.id)


def link_as_before(session, petition: Petition) -> int | None:
    """The repeat link as it was made before: the best same-sender answered case among every candidate scored."""
    for candidate in _scored(session, petition, None):
        if candidate.same_sender and candidate.answered and candidate.similarity >= REPEAT_FROM:
            return candidate.petition_id
    return None


# Earlier cases, newest last: (who, text, answered, days ago); "same" is the new case's sender.
REPEAT = ("same", POTHOLE, True)
OTHERS = [("other", LIGHTS, True)] * (MAX_CANDIDATES - 1)
ONE_MORE = ("other", LIGHTS, False, 1)
SCENES = {
    "the repeat is the oldest candidate scored": [(*REPEAT, 5), *[(*o, 1) for o in OTHERS]],
    "one candidate more: the repeat is beyond them": [(*REPEAT, 5), *[(*o, 1) for o in OTHERS], ONE_MORE],
    "all at one instant, the repeat first: beyond": [(*REPEAT, 1), *[(*o, 1) for o in OTHERS], ONE_MORE],
    "all at one instant, the repeat last: scored": [*[(*o, 1) for o in OTHERS], ONE_MORE, (*REPEAT, 1)],
    "the likelier of two repeats": [("same", POTHOLE_AGAIN, True, 9), (*REPEAT, 8), ("same", LIGHTS, True, 2)],
    "an unanswered case, another sender's, another matter": [
        ("same", POTHOLE, False, 3), ("other", POTHOLE, True, 2), ("same", LIGHTS, True, 1),
    ],
    "a secret and a closed duplicate": [("same secret", POTHOLE, True, 3), ("same duplicate", POTHOLE, True, 2)],
    "the same sender beyond the others' 90 days": [("same", POTHOLE, True, 200), *[(*o, 1) for o in OTHERS[:10]]],
}  # fmt: skip
LINKED = {
    "the repeat is the oldest candidate scored": 0,
    "all at one instant, the repeat last: scored": MAX_CANDIDATES,
    "the likelier of two repeats": 0,
    "the same sender beyond the others' 90 days": 0,
}


@pytest.mark.parametrize("scene", SCENES)
def test_the_repeat_link_reads_only_the_senders_answered_cases_and_links_as_before(session, scene):
    new = submit(session, **POTHOLE_AGAIN)
    template = {c.name: getattr(new, c.name) for c in Petition.__table__.columns if c.name != "id"}
    rows = []
    for n, (who, texts, answered, days_ago) in enumerate(SCENES[scene]):
        sender = {"sender_user_id": None, **OTHER_SENDER} if who == "other" else {}
        row = {
            **template, **sender, "title": texts["title"], "content": texts["content"],
            "tracking_code": f"TEST-{n:04d}", "sender_key": None, "instance_id": None, "status": "handling",
            "received_at": new.received_at - timedelta(days=days_ago), "published_at": None,
            "state_secret": who == "same secret", "original_id": None, "link_kind": None,
        }  # fmt: skip
        if answered:
            row |= {"status": "closed_duplicate" if who == "same duplicate" else "published"}
            row |= {"published_at": new.received_at - timedelta(hours=1)}
        rows.append(row | {"text_digest": text_digest(row["title"], row["content"])})
    session.execute(insert(Petition), rows)
    ids = dict(session.execute(select(Petition.tracking_code, Petition.id).where(Petition.id != new.id)).all())
    expected = ids.get(f"TEST-{LINKED[scene]:04d}") if scene in LINKED else None
    assert link_as_before(session, new) == expected
    found = earlier_answered(session, new)
    assert (found.petition.id if found else None) == expected


def test_the_cases_already_stored_get_their_digest_when_migrated(tmp_path):
    engine = make_engine(f"sqlite:///{previous_release_file(tmp_path)}")
    assert migrate(engine)[1] == head_revision()
    with engine.connect() as connection:
        rows = connection.execute(select(Petition.title, Petition.content, Petition.text_digest)).all()
    engine.dispose()
    assert len(rows) == 3 and all(r.text_digest == text_digest(r.title, r.content) for r in rows)
