"""The unit case list off `unit_case` (issue 18 point 2): the database's triggers keep one row per case a unit
leads, co-handles or held a task of — exactly the cases the former union of three look-ups listed — through the
real operations (submit, forward, transfer, consult, a merger of agencies) and through Core writes; the list
reads it newest first, its filters still narrow it, and its count stops at a cap."""

from datetime import timedelta

from sqlalchemy import delete, func, insert, select, union, update

from app.administration.successions import move_open_cases
from app.agencies.models import Agency
from app.engine.models import WorkItem
from app.petitions.models import Petition, UnitCase, petition_co_agency
from app.petitions.unit_cases import PAGE, CaseFilters, unit_cases

from .conftest import act, submit, user

DIRECTION = "Đề nghị chủ công trình tháo dỡ phần lấn chiếm trong 15 ngày"
REASON = "Nội dung thuộc lĩnh vực đất đai, không thuộc thẩm quyền của Sở Xây dựng"


def former_union(session, agency: Agency):
    """The list's cases before unit_case: led, co-handled, or a task held (app/petitions/unit_cases.py until 0022)."""
    led = select(Petition.id).where(Petition.lead_agency_id == agency.id)
    co_handled = select(petition_co_agency.c.petition_id).where(petition_co_agency.c.agency_id == agency.id)
    held = (
        select(Petition.id)
        .join(WorkItem, WorkItem.instance_id == Petition.instance_id)
        .where(WorkItem.agency_code == agency.code)
    )
    return union(led, co_handled, held).subquery()


def assert_kept_as_the_union(session):
    session.flush()
    for agency in session.scalars(select(Agency)):
        kept = set(session.scalars(select(UnitCase.petition_id).where(UnitCase.agency_id == agency.id)))
        assert kept == set(session.scalars(select(former_union(session, agency)))), agency.code
    copied = select(func.count()).select_from(UnitCase).join(Petition, Petition.id == UnitCase.petition_id)
    assert session.scalar(copied.where(UnitCase.received_at != Petition.received_at)) == 0


def units_of(session, petition) -> set[str]:
    rows = select(Agency.code).join(UnitCase, UnitCase.agency_id == Agency.id)
    return set(session.scalars(rows.where(UnitCase.petition_id == petition.id)))


def forward(session, lead="QNG-SXD", co=()):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency=lead, co_agencies=list(co))
    return petition


def varied_cases(session) -> dict:
    """Forwarded, co-handled, transferred, consulted, published, rejected, in two provinces."""
    cases = {"waiting": submit(session), "forwarded": forward(session)}
    cases["co-handled"] = forward(session, co=["QNG-SNNMT"])
    cases["transferred"] = forward(session)
    act(session, "handler", cases["transferred"], "handle", action="transfer", transfer_kind="competent",
        transfer_to="QNG-SNNMT", transfer_reason=REASON)  # fmt: skip
    cases["consulted"] = forward(session, co=["QNG-SNNMT"])
    act(session, "handler", cases["consulted"], "handle", action="consult", direction=DIRECTION,
        more_co_agencies=["QNG-KONTUM"])  # fmt: skip
    cases["published"] = forward(session)
    act(session, "handler", cases["published"], "handle", action="answer", answer="Đã yêu cầu tháo dỡ.")
    act(session, "leader", cases["published"], "leader_approve", leader_decision="approve")
    act(session, "intake", cases["published"], "review", review_decision="approve")
    act(session, "intake", cases["published"], "publish", public_title="Lấn chiếm", public_summary="Đã xử lý.")
    cases["rejected"] = submit(session)
    act(session, "intake", cases["rejected"], "classify", decision="reject", reason="Không thuộc phạm vi tiếp nhận.")
    cases["other province"] = submit(session, province_code="lai-chau")
    act(session, "intake-lc", cases["other province"], "classify", decision="forward", lead_agency="LC-SXD")
    return cases


def test_the_triggers_keep_each_units_cases_through_the_operations(session):
    cases = varied_cases(session)
    assert_kept_as_the_union(session)
    assert "QNG-SXD" in units_of(session, cases["forwarded"])
    assert {"QNG-SXD", "QNG-SNNMT"} <= units_of(session, cases["co-handled"])
    # the former lead keeps the case it held a task of; the new lead gets it
    assert {"QNG-SXD", "QNG-SNNMT"} <= units_of(session, cases["transferred"])
    assert {"QNG-SXD", "QNG-SNNMT", "QNG-KONTUM"} <= units_of(session, cases["consulted"])
    assert "LC-SXD" in units_of(session, cases["other province"]) and "QNG-SXD" not in units_of(
        session, cases["other province"]
    )
    merger = {"from_agency": "QNG-SXD", "to_agency": "QNG-SNNMT", "reason": "Nghị quyết sáp nhập sở của HĐND tỉnh"}
    move_open_cases(session, user(session, "admin"), merger)  # open tasks re-coded, leads and co-agencies replaced
    assert_kept_as_the_union(session)
    assert "QNG-SNNMT" in units_of(session, cases["forwarded"])


def test_core_writes_keep_the_same_cases_as_the_union(session):
    cases = varied_cases(session)
    agencies = dict(session.execute(select(Agency.code, Agency.id)).all())
    forwarded, co_handled = cases["forwarded"], cases["co-handled"]
    writes = [
        update(Petition).where(Petition.id == forwarded.id).values(lead_agency_id=agencies["QNG-KONTUM"]),
        update(Petition).where(Petition.id == forwarded.id).values(lead_agency_id=None),
        update(Petition).where(Petition.id == forwarded.id).values(received_at=forwarded.received_at - timedelta(9)),
        delete(petition_co_agency).where(petition_co_agency.c.petition_id == co_handled.id),
        insert(petition_co_agency).values(petition_id=co_handled.id, agency_id=agencies["LC-SXD"]),
        update(WorkItem).where(WorkItem.instance_id == co_handled.instance_id).values(agency_code="QNG-KONTUM"),
        delete(WorkItem).where(WorkItem.instance_id == cases["transferred"].instance_id, WorkItem.bpmn_id == "handle"),
        update(Petition).where(Petition.id == cases["rejected"].id).values(instance_id=co_handled.instance_id),
    ]
    for write in writes:
        session.execute(write)
        assert_kept_as_the_union(session)
    row = {c.name: getattr(forwarded, c.name) for c in Petition.__table__.columns if c.name != "id"}
    row |= {"tracking_code": "TEST-ZZZZ-0001", "lead_agency_id": agencies["QNG-SXD"]}  # a second case of its instance
    session.execute(insert(Petition).values(**row))
    assert_kept_as_the_union(session)


def former_page_order(session, agency, conditions=()) -> list[int]:
    cases = former_union(session, agency)
    query = select(Petition.id).where(Petition.id.in_(select(cases)), *conditions)
    return list(session.scalars(query.order_by(Petition.received_at.desc(), Petition.id.desc())))


def listed(session, username, **filters) -> list[int]:
    ids, page = [], 1
    while True:
        found = unit_cases(session, user(session, username), CaseFilters(page=page, **filters))
        ids += [p.id for p in found.rows]
        if page >= found.pages:
            return ids
        page += 1


def test_the_list_shows_the_unions_cases_in_the_same_order_with_its_filters(session):
    varied_cases(session)
    for _ in range(PAGE):  # a second page
        forward(session, co=["QNG-SNNMT"])
    assert_kept_as_the_union(session)
    for username, code in (("leader", "QNG-SXD"), ("handler2", "QNG-SNNMT"), ("leader-lc", "LC-SXD")):
        agency = session.scalar(select(Agency).where(Agency.code == code))
        assert listed(session, username) == former_page_order(session, agency), code
        handling = [Petition.status == "handling"]
        assert listed(session, username, status="handling") == former_page_order(session, agency, handling)
        oldest_first = listed(session, username, descending=False)
        assert oldest_first == former_page_order(session, agency)[::-1]
    leader = user(session, "leader")
    for filters in ({}, {"status": "handling"}):  # counted off the unit's index alone, and with the petitions'
        first, past_the_end = (unit_cases(session, leader, CaseFilters(page=p, **filters)) for p in (1, 50))
        assert first.total == past_the_end.total == len(listed(session, "leader", **filters)) > PAGE
        assert past_the_end.page == past_the_end.pages == 2 and past_the_end.rows
    listed_words = listed(session, "leader", q="lan chiem")
    assert listed_words and set(listed_words) <= set(listed(session, "leader"))


def test_the_count_stops_at_its_cap(session):
    for _ in range(5):
        forward(session)
    leader = user(session, "leader")
    capped = unit_cases(session, leader, CaseFilters(), cap=3)
    assert (capped.total, capped.more, capped.pages, len(capped.rows)) == (3, True, 1, 5)
    whole = unit_cases(session, leader, CaseFilters(), cap=5)
    assert (whole.total, whole.more) == (5, False)
