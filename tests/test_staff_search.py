"""The unit case list searched for words on the trigram index (issue 18 point 1, migration 0024_list_indexes):
the index finds the cases holding rare words, the database keeps it through Core writes, and the list's pages
are exactly the former ones — the same rows in the same order — for rare, common, short and literal words."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from app.agencies.models import Agency
from app.petitions import staff_search
from app.petitions.models import Petition
from app.petitions.search import fold, staff_search_text
from app.petitions.staff_search import _holding_one, holding_words, rare_word_cases, staff_words

from .test_search_indexes import plan
from .test_unit_case_list import former_page_order, forward, listed

TITLES = [
    "Công trình xây dựng lấn chiếm vỉa hè",  # common: every second case
    "Đèn chiếu sáng hỏng trên đường Phan Đình Phùng",
    "Vệ sinh môi trường ở chợ Mới",  # rare: one case in twelve
]
SENDERS = ["Nguyễn Văn An", "Trần_Thị 50%"]  # `_` and `%` are letters of the text, not patterns
SEARCHES = [
    "ve sinh",  # rare, and a word of two letters
    "VỆ SINH môi",  # folded like the text
    "xay dung lan",  # common: more than CANDIDATES when the cap is small
    "xay dung khong",  # common words with one no case holds
    "chieu sang",
    "ve",  # short only: no trigram
    "_th",  # literal underscore
    "50%",
    "tran_",
    "zzz-9",  # in one code
    "nguyen van an xay",
    "dung sinh",  # a common word first, then a rare one
    "lan phung",  # two common words no case holds together
    '"sinh"',  # quotes are text, not query syntax
]


def many_cases(session, count=60) -> Petition:
    """`count` more cases of the leader's unit, copies of one forwarded case (Core inserts: the triggers give the
    unit its rows), with varied titles, senders and codes, three of them received at each instant."""
    base = forward(session)
    row = {c.name: getattr(base, c.name) for c in Petition.__table__.columns if c.name != "id"}
    for n in range(count):
        title = TITLES[0] if n % 2 else TITLES[2] if n % 12 == 4 else TITLES[1]
        sender = SENDERS[n % 5 == 0]
        code = f"T{n:03d}-ZZZ-{9 if n == 7 else 1}"
        folded = fold(" ".join((code, title, sender)))
        session.execute(
            insert(Petition).values(
                **row
                | {"tracking_code": code, "title": title, "sender_name": sender, "staff_search": folded}
                | {"received_at": base.received_at - timedelta(hours=n // 3)}
            )
        )
    session.flush()
    return base


def holding(session, words: list[str]) -> set[int]:
    """The cases whose staff text holds every word, read in Python."""
    texts = session.execute(select(Petition.id, Petition.staff_search)).all()
    return {i for i, text in texts if all(word in text for word in words)}


def test_the_trigram_index_finds_every_case_holding_rare_words(session, monkeypatch):
    many_cases(session)
    # the cases of the longest word (the likeliest rare), the others checked by the list's LIKE
    looked_up = {"sinh": ["sinh"], "sinh moi": ["sinh"], "50%": ["50%"], "tran_": ["tran_"], "zzz-9": ["zzz-9"],
                 "khong": ["khong"], '"sinh"': ['"sinh"'], "ve sinh": ["sinh"], "chieu sinh": ["chieu"]}  # fmt: skip
    for typed, words in looked_up.items():
        assert set(rare_word_cases(session, staff_words(typed))) == holding(session, words), typed
    assert rare_word_cases(session, ["ve"]) is None  # no trigram: nothing to narrow
    assert rare_word_cases(session, []) is None
    monkeypatch.setattr(staff_search, "CANDIDATES", 5)
    assert rare_word_cases(session, ["dung"]) is None  # more cases hold it than the cap: the list reads in order
    assert rare_word_cases(session, ["dung", "lan"]) is None  # each common, though no case holds both
    assert set(rare_word_cases(session, ["dung", "sinh"])) == holding(session, ["sinh"])  # the next word is rare
    assert len(rare_word_cases(session, ["sinh"])) == len(holding(session, ["sinh"])) <= 5


def test_rare_words_are_looked_up_on_the_trigram_index(session):
    steps = plan(session, _holding_one(session.get_bind().dialect.name, "sinh").limit(9))
    if session.get_bind().dialect.name == "sqlite":
        assert "SCAN petition_staff_fts VIRTUAL TABLE INDEX" in steps
    else:
        assert "Bitmap Index Scan on ix_petition_staff_search_trgm" in steps and "Seq Scan" not in steps
    # the list's own query cannot use it: a generic plan of its bound patterns would read the index for any word
    listing = select(Petition.id).where(*holding_words(["sinh"])).order_by(Petition.received_at).limit(9)
    assert "ix_petition_staff_search_trgm" not in plan(session, listing)


def test_the_index_follows_core_writes(session):
    base = many_cases(session, count=6)
    session.execute(
        update(Petition).where(Petition.id == base.id).values(staff_search="renamed ngap ung khu pho", title="x")
    )
    assert rare_word_cases(session, ["ngap", "ung"]) == [base.id]
    assert base.id not in rare_word_cases(session, [fold(base.tracking_code)])
    copy = {c.name: getattr(base, c.name) for c in Petition.__table__.columns if c.name != "id"}
    session.execute(insert(Petition).values(**copy | {"tracking_code": "NEW-ZZZ-1", "staff_search": "ngap ung moi"}))
    assert len(rare_word_cases(session, ["ngap", "ung"])) == 2
    session.execute(Petition.__table__.delete().where(Petition.tracking_code == "NEW-ZZZ-1"))
    assert rare_word_cases(session, ["ngap", "ung"]) == [base.id]
    session.refresh(base)
    base.sender_name = "Lê Thị Ngập"  # an operation's write: the ORM folds the text again
    session.flush()
    assert base.staff_search == staff_search_text(base) and rare_word_cases(session, ["ngap"]) == [base.id]


@pytest.mark.parametrize("cap", [staff_search.CANDIDATES, 5])
def test_the_pages_searched_are_the_former_pages(session, monkeypatch, cap):
    monkeypatch.setattr(staff_search, "CANDIDATES", cap)  # 5: the common words read newest first, the rare narrowed
    many_cases(session)
    agency = session.scalar(select(Agency).where(Agency.code == "QNG-SXD"))
    for q in SEARCHES:
        words = staff_words(q)
        former = former_page_order(session, agency, holding_words(words))
        assert listed(session, "leader", q=q) == former, q
        assert listed(session, "leader", q=q, descending=False) == former[::-1], q
        assert set(former) == set(holding(session, words)) & set(listed(session, "leader")), q
    assert len(former_page_order(session, agency, holding_words(["dung"]))) > 25  # two pages of a common word
    assert listed(session, "leader", q="ve sinh") and not listed(session, "leader", q="ve sinh khong")
