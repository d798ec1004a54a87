"""The searches run on indexes the database keeps: the public words on its full-text index (filled by Core
writes too), the auditor's code prefix on the unique index of tracking_code; EXPLAIN shows no scan of petition."""

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, text, update

from app.inspection.search import Filters, search, search_query
from app.petitions.fulltext import holding
from app.petitions.models import Petition
from app.petitions.queries import FEW_MATCHES, PublicFilters, published_answers, published_query
from app.petitions.search import search_words

from .conftest import submit


def plan(session, statement) -> str:
    """The database's plan of a statement, one line per step (enable_seqscan off on PostgreSQL: a test database
    is too small for the planner to prefer an index it would use at scale)."""
    dialect = session.get_bind().dialect
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        return "\n".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    session.execute(text("SET LOCAL enable_seqscan = off"))
    return "\n".join(row[0] for row in session.execute(text(f"EXPLAIN {sql}")))


def test_the_public_word_search_reads_the_full_text_index_and_no_petition_row_it_does_not_return(session):
    steps = plan(session, published_query(session.get_bind().dialect.name, PublicFilters(q="cống thoát")))
    if session.get_bind().dialect.name == "sqlite":
        assert "SCAN petition_fts VIRTUAL TABLE INDEX" in steps and "SEARCH petition USING INTEGER PRIMARY KEY" in steps
        assert "SCAN petition\n" not in steps + "\n"
    else:  # the ids holding the words come off the GIN index (_few_matches), the page off an index too
        holding_words = holding("postgresql", search_words("cống thoát"))
        ids = plan(session, select(Petition.id).where(holding_words).limit(FEW_MATCHES + 1))
        assert "Bitmap Index Scan on ix_petition_search_fts" in ids and "Seq Scan on petition " not in ids
        assert "Seq Scan on petition " not in steps


def test_the_auditors_code_search_reads_a_range_of_the_tracking_code_index(session):
    steps = plan(session, search_query(Filters(code="7qx4-m9")))
    if session.get_bind().dialect.name == "sqlite":
        assert "SEARCH petition USING INDEX sqlite_autoindex_petition_1 (tracking_code>? AND tracking_code<?)" in steps
        assert "SCAN petition\n" not in steps + "\n"
    else:
        on_code = ("Index Scan using uq_petition_tracking_code on petition", "ix_petition_code_filters on petition")
        assert any(index in steps for index in on_code) and "Seq Scan on petition " not in steps  # both lead by code
        assert "(((tracking_code)::text >= '7QX4-M9'::text) AND ((tracking_code)::text < '7QX4-MA'::text))" in steps


def coded(session, *codes: str):
    for code in codes:
        petition = submit(session)
        session.execute(update(Petition).where(Petition.id == petition.id).values(tracking_code=code))
    session.commit()


def codes_found(session, typed: str) -> list[str]:
    return sorted(p.tracking_code for p in search(session, Filters(code=typed)))


def test_the_auditor_finds_the_codes_starting_with_what_is_typed(session):
    coded(session, "7QX4-M9PA-K2TD", "7QX4-M9PB-0000", "ABCD-7QX4-M9PA", "ZZZZ-ZZZZ-ZZZZ", "7QX4-MZZ9-0000")
    assert codes_found(session, "7qx4 m9p") == ["7QX4-M9PA-K2TD", "7QX4-M9PB-0000"]
    assert codes_found(session, "7QX4M9PAK2TD") == codes_found(session, "7qx4-m9pa") == ["7QX4-M9PA-K2TD"]
    assert codes_found(session, "7QX4-M9PB-OOOO") == ["7QX4-M9PB-0000"]  # O read as 0
    assert codes_found(session, "m9pa") == [] and codes_found(session, "7QX4-M9PA-K2TE") == []  # not a fragment
    assert codes_found(session, "zzzz-z") == ["ZZZZ-ZZZZ-ZZZZ"]  # no successor: the range is open above
    assert codes_found(session, "7QX4-MZ") == ["7QX4-MZZ9-0000"] and codes_found(session, "7QX4-N") == []
    assert codes_found(session, "Đ") == [] and codes_found(session, "U") == []  # no code has them


def titles(session, q: str) -> list[str]:
    return [p.public_title for p in published_answers(session, PublicFilters(q=q))[0]]


def test_rows_written_by_core_statements_are_indexed_at_once(session):
    """A bulk load, a data fix or a benchmark writes without the ORM: the database keeps its index itself."""
    submitted = submit(session)
    model = session.execute(select(Petition.__table__).where(Petition.id == submitted.id)).mappings().one()
    row = {**model, "id": None, "tracking_code": "7QX4-M9PA-K2TD", "public_title": "Nạo vét kênh Bàu Giang",
           "search_text": "nao vet kenh bau giang", "published_at": datetime(2026, 11, 1, tzinfo=UTC),
           "hidden": False, "state_secret": False}  # fmt: skip
    del row["id"]
    session.execute(insert(Petition.__table__).values(row))
    session.commit()
    assert titles(session, "kênh bàu") == ["Nạo vét kênh Bàu Giang"]
    session.execute(update(Petition).where(Petition.tracking_code == row["tracking_code"]).values(
        search_text="khoi thong cong ranh"))  # fmt: skip
    session.commit()
    assert titles(session, "kenh bau") == [] and titles(session, "cong ranh") == ["Nạo vét kênh Bàu Giang"]
    session.execute(delete(Petition).where(Petition.tracking_code == row["tracking_code"]))
    session.commit()
    assert titles(session, "cong ranh") == []
    if session.get_bind().dialect.name == "sqlite":  # the external-content index agrees with its table
        session.execute(text("INSERT INTO petition_fts (petition_fts) VALUES ('integrity-check')"))


def test_the_auditors_list_reads_its_index_newest_first_without_sorting(session):
    if session.get_bind().dialect.name == "postgresql":  # a few rows sort faster than an index reads: ask if it can
        session.execute(text("SET LOCAL enable_sort = off"))
        session.execute(text("SET LOCAL enable_incremental_sort = off"))
    steps = plan(session, search_query(Filters()))
    if session.get_bind().dialect.name == "sqlite":
        assert "SCAN petition USING INDEX ix_petition_received_id" in steps and "TEMP B-TREE" not in steps
    else:  # ties of received_at (a batch, the bench's clones) are in the index's order already: no sort at all
        assert "Index Scan Backward using ix_petition_received_id on petition" in steps and "Sort" not in steps
