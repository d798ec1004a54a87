"""A province set up from nothing: enabled with its intake office and policy, its agencies and accounts imported
from a file (all or nothing, errors by line), and an agency's open cases moved to its successor on a merger."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.login import attempt_login
from app.accounts.models import User
from app.administration.imports import import_accounts, import_agencies
from app.administration.provinces import enable_province, province_rows
from app.administration.successions import move_open_cases
from app.agencies.models import Agency, Commune
from app.agencies.queries import is_receiving
from app.audit.models import AuditEntry
from app.calendars.store import current_book
from app.engine.models import Timer, WorkItem
from app.errors import FormInvalid
from app.petitions.models import CaseDeadline

from .conftest import act, item_for, submit, user

HA_NOI = "ha-noi"


def admin(session):
    return user(session, "admin")


def hanoi_ward(session) -> str:
    return str(session.scalar(select(Commune.code).where(Commune.province_code == HA_NOI).order_by(Commune.code)))


def test_a_province_without_an_intake_office_is_enabled_with_the_policy_chosen_for_it(session):
    assert not is_receiving(session, HA_NOI)
    enable_province(session, admin(session), HA_NOI, {"policy": "qd574-2017", "intake_code": "HN-VPUB"})
    assert is_receiving(session, HA_NOI)
    office = session.scalar(select(Agency).where(Agency.code == "HN-VPUB"))
    assert (
        office.is_intake_office and office.province_code == HA_NOI and office.name == "Văn phòng UBND Thành phố Hà Nội"
    )
    assert current_book(session).policy_code(HA_NOI) == "qd574-2017"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "province.enabled"))
    assert entry.actor == "admin" and entry.data["policy_before"] == "qd31-2021"


def test_a_petition_to_a_newly_enabled_province_runs_under_its_policy(session):
    enable_province(session, admin(session), HA_NOI, {"policy": "qd574-2017", "intake_code": "HN-VPUB"})
    with time_machine.travel(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), tick=False):
        petition = submit(session, province_code=HA_NOI, commune_code=hanoi_ward(session))
    classify = item_for(session, petition, "classify")
    assert classify.agency_code == "HN-VPUB"
    book = current_book(session)
    forward = session.scalar(select(CaseDeadline).where(CaseDeadline.petition_id == petition.id,
                                                        CaseDeadline.step == "forward"))  # fmt: skip
    assert forward.due_at == book.due(HA_NOI, "forward", forward.started_at)
    assert book.period(HA_NOI, "answer") == book.files.policies["qd574-2017"].steps["answer"]


def test_enabling_twice_or_against_the_provinces_calendar_file_is_refused_naming_the_field(session):
    with pytest.raises(FormInvalid) as receiving:
        enable_province(session, admin(session), "quang-ngai", {"intake_code": "QNG-VP2"})
    assert "đã tiếp nhận phản ánh" in receiving.value.by_field()["intake_code"]
    with pytest.raises(FormInvalid) as wrong:
        enable_province(session, admin(session), HA_NOI, {"policy": "khong-co", "intake_code": "QNG-SXD"})
    assert set(wrong.value.by_field()) == {"policy", "intake_code"}
    assert not is_receiving(session, HA_NOI)  # nothing half-done


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


AGENCIES = csv_file(
    "code,name,level,parent,is_intake_office",
    "HN-VPUB,Văn phòng UBND Thành phố Hà Nội,province,,có",
    "HN-SXD,Sở Xây dựng Hà Nội,province,,",
    "HN-HOANKIEM,UBND phường Hoàn Kiếm,commune,HN-VPUB,",
)


def test_a_provinces_agencies_are_imported_from_a_csv_file_parents_first(session):
    result = import_agencies(session, admin(session), HA_NOI, "co-quan.csv", AGENCIES)
    assert result.created == ["HN-VPUB", "HN-SXD", "HN-HOANKIEM"]
    ward = session.scalar(select(Agency).where(Agency.code == "HN-HOANKIEM"))
    assert ward.parent.code == "HN-VPUB" and ward.level == "commune" and ward.province_code == HA_NOI
    assert is_receiving(session, HA_NOI)  # the intake office came with the file


def test_an_import_with_wrong_rows_stores_nothing_and_names_each_line(session):
    broken = csv_file(
        "code;name;level;parent;is_intake_office",
        "HN-VPUB;Văn phòng UBND Thành phố Hà Nội;province;;có",
        "QNG-SXD;Sở trùng mã;province;;",
        "HN-X;Sở Xây dựng Hà Nội;huyện;;",
        "HN-Y;UBND phường;commune;HN-KHONG-CO;",
    )
    with pytest.raises(FormInvalid) as refused:
        import_agencies(session, admin(session), HA_NOI, "co-quan.csv", broken)
    messages = [e.message() for e in refused.value.errors]
    assert messages[0].startswith("Dòng 3: «Mã cơ quan» «QNG-SXD» đã có")
    assert messages[1].startswith("Dòng 4: «Cấp» phải là một trong")
    assert messages[2].startswith("Dòng 5: «Cơ quan cấp trên»")
    assert session.scalar(select(func.count(Agency.id)).where(Agency.province_code == HA_NOI)) == 0
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "agency.created")) == 0


def test_a_file_without_the_columns_is_refused_saying_which(session):
    with pytest.raises(FormInvalid) as refused:
        import_agencies(session, admin(session), HA_NOI, "x.csv", csv_file("ma,ten", "A,B"))
    assert refused.value.by_field() == {
        "file": "Tệp «x.csv» thiếu cột: level, parent, is_intake_office (dòng 1 là tên cột)."
    }


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_accounts_are_imported_from_excel_each_with_a_first_password_that_logs_in(session):
    import_agencies(session, admin(session), HA_NOI, "co-quan.csv", AGENCIES)
    data = xlsx([
        ("Tên đăng nhập", "Họ và tên", "Thư điện tử", "Số điện thoại", "Vai trò", "Mã cơ quan"),
        ("hn.tiepnhan", "Nguyễn Thị Hà", "ha@hanoi.gov.vn", 912345678, "intake", "HN-VPUB"),
        ("hn.xuly", "Trần Văn Nam", "nam@hanoi.gov.vn", None, "handler", "HN-SXD"),
    ])  # fmt: skip
    result = import_accounts(session, admin(session), HA_NOI, "can-bo.xlsx", data)
    assert result.created == ["hn.tiepnhan", "hn.xuly"]
    clerk = user(session, "hn.tiepnhan")
    assert (clerk.role, clerk.agency_code, clerk.phone) == ("intake", "HN-VPUB", "0912345678")
    assert attempt_login(session, "hn.xuly", result.passwords["hn.xuly"], "10.0.0.1").user is not None


def test_an_account_of_another_provinces_agency_is_refused_by_line_and_nothing_is_imported(session):
    import_agencies(session, admin(session), HA_NOI, "co-quan.csv", AGENCIES)
    data = csv_file(
        "username,full_name,email,phone,role,agency",
        "hn.a,Nguyễn Văn A,a@hanoi.gov.vn,,handler,HN-SXD",
        "hn.b,Nguyễn Văn B,b@hanoi.gov.vn,,handler,QNG-SXD",
        "hn.c,Nguyễn Văn C,khong-phai-email,,handler,HN-SXD",
    )
    with pytest.raises(FormInvalid) as refused:
        import_accounts(session, admin(session), HA_NOI, "can-bo.csv", data)
    assert [e.message()[:7] for e in refused.value.errors] == ["Dòng 3:", "Dòng 4:"]
    assert "thuộc tỉnh, thành phố đang nhập" in refused.value.errors[0].message()
    assert session.scalar(select(User).where(User.username == "hn.a")) is None


def deadlines_of(session, petition):
    rows = session.execute(
        select(CaseDeadline.step, CaseDeadline.due_at).where(CaseDeadline.petition_id == petition.id)
    )
    timers = session.execute(select(Timer.bpmn_id, Timer.due_at).where(Timer.instance_id == petition.instance_id))
    return sorted(rows.all()), sorted(timers.all())


def test_a_merged_agencys_open_cases_move_to_its_successor_with_their_deadlines_kept(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    handle = item_for(session, petition, "handle")
    from app.tasks.operations import claim_task  # noqa: PLC0415

    claim_task(session, user(session, "handler"), handle.id)
    before = deadlines_of(session, petition)
    merger = {"from_agency": "QNG-SXD", "to_agency": "QNG-SNNMT", "reason": "Nghị quyết sáp nhập sở của HĐND tỉnh"}
    result = move_open_cases(session, admin(session), merger)
    assert result.moved == [petition.tracking_code] and result.tasks == 1 and result.released == ["handler"]
    session.refresh(petition)
    moved = session.get(WorkItem, handle.id)
    assert (moved.agency_code, moved.assignee, petition.lead_agency.code) == ("QNG-SNNMT", None, "QNG-SNNMT")
    assert deadlines_of(session, petition) == before
    act(session, "handler2", petition, "handle", action="answer", answer="Sở Nông nghiệp và Môi trường trả lời.")
    assert item_for(session, petition, "leader_approve").agency_code == "QNG-SNNMT"  # the model's data moved too
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.agency_moved"))
    assert entry.petition_id == petition.id and entry.data["reason"].startswith("Nghị quyết")


def test_a_move_needs_two_different_agencies_and_a_reason(session):
    with pytest.raises(FormInvalid) as refused:
        move_open_cases(session, admin(session), {"from_agency": "QNG-SXD", "to_agency": "QNG-SXD", "reason": ""})
    assert set(refused.value.by_field()) == {"to_agency", "reason"}


def test_the_province_list_shows_the_34_provinces_and_which_take_petitions(session):
    rows = province_rows(session)
    current = [r for r in rows if r.province.official_code is not None]
    assert len(current) == 34
    by_code = {r.province.code: r for r in rows}
    assert by_code["quang-ngai"].receiving and by_code["quang-ngai"].has_file and by_code["quang-ngai"].agencies >= 4
    assert not by_code[HA_NOI].receiving and by_code[HA_NOI].policy == "qd31-2021" and by_code[HA_NOI].communes > 100
