"""Lists that do not grow with the case count (issue 18 point 2): a page asks the database the same questions for
thirty cases as for three, reads the calendars' revision once, and each list's query finds its rows through an
index (no scan of the work items or the petitions). bench/scale.py measures the same lists at 1,000,000 cases."""

import pytest
from sqlalchemy import event, func, select

from app.inspection.search import Filters, started_by_hand
from app.petitions.unit_cases import CaseFilters, _conditions
from app.tasks.queries import _scope

from .conftest import act, submit, user

PAGES = [
    ("intake", "/cong-viec"),
    ("intake", "/cong-viec?due=soon"),
    ("intake", "/cong-viec?due=overdue&field=xay-dung"),
    ("intake", "/"),
    ("handler", "/cong-viec"),
    ("leader", "/cong-viec"),
    ("leader", "/ho-so-don-vi"),
    ("leader", "/ho-so-don-vi?q=via+he"),
    ("auditor", "/kiem-tra/"),
    (None, "/"),
    (None, "/cong-khai"),
    (None, "/cong-khai?q=lan+chiem"),
]


def statements(app, browser, path) -> list[str]:
    """The SQL statements one request of `path` sends."""
    engine, seen = app.extensions["pakn"]["engine"], []

    def count(conn, cursor, statement, *rest):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = browser.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (path, response.status_code)
    return seen


def add_cases(session, forwarded: int, published: int):
    """Cases of Quảng Ngãi: some forwarded to the Sở Xây dựng, some answered and published."""
    for _ in range(forwarded):
        act(session, "intake", submit(session), "classify", decision="forward", lead_agency="QNG-SXD")
    for _ in range(published):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
        act(session, "handler", petition, "handle", action="answer", answer="Đã yêu cầu tháo dỡ phần lấn chiếm.")
        act(session, "leader", petition, "leader_approve", leader_decision="approve")
        act(session, "intake", petition, "review", review_decision="approve")
        act(session, "intake", petition, "publish", public_title="Lấn chiếm vỉa hè", public_summary="Đã xử lý.")


def ask_each_page(app, login) -> dict[str, list[str]]:
    browsers = {who: login(who) if who else app.test_client() for who in {who for who, _ in PAGES}}
    for who, path in PAGES:  # a first request warms the caches a worker keeps (forms, specs, calendars)
        statements(app, browsers[who], path)
    return {f"{who} {path}": statements(app, browsers[who], path) for who, path in PAGES}


def test_each_list_asks_the_same_questions_for_thirty_cases_as_for_three(app, session, login):
    add_cases(session, forwarded=2, published=1)
    few = ask_each_page(app, login)
    add_cases(session, forwarded=24, published=4)
    many = ask_each_page(app, login)
    for page, asked in few.items():
        counted = "/ho-so-don-vi" in page and len(asked) + 1  # a case list shorter than a page is not counted
        assert len(many[page]) in (len(asked), counted), (page, len(asked), len(many[page]))
        revisions = [s for s in many[page] if "calendar_revision" in s]
        assert len(revisions) <= 1, (page, "the calendars' revision is read once per request")


def plan(session, statement) -> str:
    """The database's plan of a query, with the sequential scans PostgreSQL would pick on tiny tables turned off, so
    that a scan left in the plan means no index can serve the query."""
    compiled = statement.compile(dialect=session.bind.dialect, compile_kwargs={"literal_binds": True})
    if session.bind.dialect.name == "postgresql":
        session.execute(select(func.set_config("enable_seqscan", "off", True)))
        return "\n".join(session.connection().exec_driver_sql(f"EXPLAIN {compiled}").scalars())
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return "\n".join(row[-1] for row in rows)


def scans(plan_text: str, table: str) -> bool:
    """Whether the plan reads every row of `table` (SQLite: SCAN t; PostgreSQL: Seq Scan on t)."""
    words = [line.split() for line in plan_text.splitlines()]
    return any(w[:2] == ["SCAN", table] or f"Seq Scan on {table} " in " ".join(w) + " " for w in words)


@pytest.mark.parametrize("username", ["intake", "handler", "leader"])
def test_an_inbox_reads_its_agencys_open_tasks_through_indexes(session, username):
    add_cases(session, forwarded=2, published=0)
    query = select(func.count()).select_from(_scope(user(session, username)).subquery())
    found = plan(session, query)
    assert not scans(found, "work_item") and not scans(found, "petition"), found


def test_a_units_case_list_reads_the_cases_it_touched_through_indexes(session):
    add_cases(session, forwarded=2, published=0)
    from app.petitions.models import Petition  # noqa: PLC0415

    conditions = _conditions(session, user(session, "leader"), CaseFilters(), None)
    found = plan(session, select(func.count(Petition.id)).where(*conditions))
    assert not scans(found, "petition") and not scans(found, "work_item"), found


def test_the_auditors_hand_started_instances_are_found_off_the_action_index(session):
    statements_seen = []
    engine = session.bind

    def keep(conn, cursor, statement, *rest):
        statements_seen.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        started_by_hand(session, Filters())
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    looked_up = [s for s in statements_seen if "audit_entry" in s and "ORDER BY" in s]
    assert looked_up
    for statement in looked_up:
        found = "\n".join(
            row[-1] if session.bind.dialect.name == "sqlite" else row[0]
            for row in session.connection().exec_driver_sql(
                ("EXPLAIN QUERY PLAN " if session.bind.dialect.name == "sqlite" else "EXPLAIN ")
                + statement.replace("?", "'process.started'", 1).replace("?", "50")
                .replace("%(action_1)s", "'process.started'").replace("%(param_1)s", "50")
            ).all()
        )  # fmt: skip
        assert not scans(found, "audit_entry") and not scans(found, "process_instance"), found


def test_the_published_count_is_kept_by_the_database_through_every_write(session):
    from datetime import UTC, datetime  # noqa: PLC0415

    from sqlalchemy import insert, update  # noqa: PLC0415

    from app.petitions.models import Petition  # noqa: PLC0415
    from app.petitions.queries import published_count  # noqa: PLC0415

    def counted() -> int:
        return session.scalar(select(func.count(Petition.id)).where(Petition.published_at.is_not(None)))

    assert published_count(session) == counted() == 0
    add_cases(session, forwarded=1, published=2)
    assert published_count(session) == counted() == 2
    first = session.scalar(select(Petition).where(Petition.published_at.is_not(None)).order_by(Petition.id))
    session.execute(update(Petition).where(Petition.id == first.id).values(published_at=None))  # Core writes too
    assert published_count(session) == counted() == 1
    row = {c.name: getattr(first, c.name) for c in Petition.__table__.columns if c.name != "id"}
    row |= {"tracking_code": "TEST-ZZZZ-0001", "published_at": datetime.now(UTC), "instance_id": None}
    session.execute(insert(Petition).values(**row))
    assert published_count(session) == counted() == 2
    session.rollback()  # the writer's transaction holds the count's change with its rows
    assert published_count(session) == counted() == 2


def test_an_inbox_narrowed_by_field_checks_each_tasks_case_on_an_index_alone(session):
    add_cases(session, forwarded=2, published=0)
    from app.engine.models import WorkItem  # noqa: PLC0415
    from app.petitions.models import Petition  # noqa: PLC0415

    narrowed = _scope(user(session, "intake")).where(Petition.field_code == "xay-dung")  # as inbox_page narrows it
    found = plan(session, narrowed.with_only_columns(WorkItem.id, func.count().over()))
    if session.bind.dialect.name == "sqlite":
        assert "SEARCH petition USING COVERING INDEX ix_petition_code_filters" in found, found
    else:  # the case's field read on the index, not on its row (a fetch per open task of the office)
        assert "Index Only Scan using ix_petition_code_filters on petition" in found, found
