"""Administrators' operations without the web: agencies, accounts, fields, process versions.

Each change is audited with before/after, refused (and the refusal audited) to anyone but an administrator,
and bad input names the field and the rule while nothing is stored.
"""

import pytest
from sqlalchemy import func, select

from app.accounts.login import attempt_login
from app.accounts.models import User
from app.administration.accounts import create_account, reset_password, set_account_active, update_account
from app.administration.agencies import create_agency, update_agency
from app.administration.fields import add_field, rename_field, set_field_active
from app.administration.processes import (
    MAX_BYTES,
    ModelInvalid,
    deploy_processes,
    process_versions,
    uploaded_documents,
)
from app.agencies.models import Agency
from app.audit.models import AuditEntry
from app.engine.models import ProcessDefinition
from app.errors import FormInvalid, PermissionDenied
from app.petitions.models import Field
from app.tasks.operations import claim_task

from .conftest import PROCESSES, act, item_for, submit, user

PAKN = (PROCESSES / "pakn.bpmn").read_bytes()
NEW_AGENCY = {"code": "QNG-SGTVT", "name": "Sở Giao thông vận tải tỉnh Quảng Ngãi", "level": "province",
              "province": "quang-ngai", "parent": "", "is_intake_office": ""}  # fmt: skip
NEW_ACCOUNT = {"username": "nguyen.van.tu", "full_name": "Nguyễn Văn Tư", "email": "Tu.Nguyen@Example.vn",
               "phone": "0912 000 111", "role": "handler", "agency": "QNG-SXD", "password": "mat-khau-dai"}  # fmt: skip


def audit(session, action, outcome="ok"):
    return session.scalars(
        select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == outcome).order_by(AuditEntry.id)
    ).all()


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------------------------------------------- agencies


def test_an_agency_is_added_then_renamed_each_change_audited_with_before_and_after(session):
    admin = user(session, "admin")
    agency = create_agency(session, admin, NEW_AGENCY)
    assert (agency.code, agency.level, agency.province_code, agency.is_intake_office) == (
        "QNG-SGTVT", "province", "quang-ngai", False)  # fmt: skip
    update_agency(session, admin, agency.id, {**NEW_AGENCY, "name": "Sở Giao thông tỉnh Quảng Ngãi", "code": "X"})
    session.refresh(agency)
    assert (agency.code, agency.name) == ("QNG-SGTVT", "Sở Giao thông tỉnh Quảng Ngãi")  # the code stays
    created, updated = audit(session, "agency.created")[0], audit(session, "agency.updated")[0]
    assert created.actor == "admin" and created.data["before"] is None and created.data["after"]["code"] == "QNG-SGTVT"
    assert updated.data["before"]["name"] == "Sở Giao thông vận tải tỉnh Quảng Ngãi"
    assert updated.data["after"]["name"] == "Sở Giao thông tỉnh Quảng Ngãi"


def test_agency_input_names_each_wrong_field_and_stores_nothing(session):
    admin, before = user(session, "admin"), count(session, Agency)
    with pytest.raises(FormInvalid) as invalid:
        create_agency(session, admin, {"code": "kt sxd!", "name": "", "level": "huyen", "province": "kon-tum",
                                       "parent": "KHONG-CO"})  # fmt: skip
    assert set(invalid.value.by_field()) == {"code", "name", "level", "province", "parent"}
    assert invalid.value.by_field()["province"] == "«Tỉnh, thành phố»: không có «kon-tum» trong danh mục."
    with pytest.raises(FormInvalid) as invalid:
        create_agency(session, admin, {**NEW_AGENCY, "code": "qng-sxd", "province": "", "is_intake_office": "1"})
    messages = invalid.value.by_field()
    assert messages["code"] == "«Mã cơ quan» «qng-sxd» đã có, hãy chọn giá trị khác."  # codes differ by more than case
    assert messages["province"] == "«Tỉnh, thành phố» là bắt buộc."
    with pytest.raises(FormInvalid) as invalid:
        create_agency(session, admin, {**NEW_AGENCY, "is_intake_office": "1"})
    assert invalid.value.by_field() == {
        "is_intake_office": "Tỉnh này đã có bộ phận đầu mối tiếp nhận: Văn phòng UBND tỉnh Quảng Ngãi."
    }
    assert invalid.value.by_field("en")["is_intake_office"].startswith("This province already has an intake office")
    assert count(session, Agency) == before and not audit(session, "agency.created")


def test_an_agency_cannot_be_placed_under_its_own_subordinate(session):
    admin = user(session, "admin")
    office = session.scalar(select(Agency).where(Agency.code == "QNG-VPUB"))
    values = {"code": "", "name": office.name, "level": "province", "province": "quang-ngai", "parent": "QNG-KONTUM",
              "is_intake_office": "1"}  # fmt: skip
    with pytest.raises(FormInvalid) as invalid:
        update_agency(session, admin, office.id, values)
    assert invalid.value.by_field() == {
        "parent": "«Cơ quan cấp trên» không được là chính cơ quan này hoặc một cơ quan trực thuộc nó."
    }
    update_agency(session, admin, office.id, {**values, "parent": ""})  # keeping its own intake mark is fine
    assert not audit(session, "agency.updated")  # nothing changed, nothing to audit


# ---------------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("username", ["handler", "auditor", "leader"])
def test_only_an_administrator_changes_the_catalogues_and_refusals_are_audited(session, username):
    actor = user(session, username)
    attempts = [
        ("agency.created", lambda: create_agency(session, actor, NEW_AGENCY)),
        ("account.created", lambda: create_account(session, actor, NEW_ACCOUNT)),
        ("account.deactivated", lambda: set_account_active(session, actor, user(session, "citizen").id, False)),
        ("field.created", lambda: add_field(session, actor, "van-hoa", "Văn hóa, thể thao")),
        ("process.deployed", lambda: deploy_processes(session, actor, {"pakn.bpmn": PAKN})),
    ]
    for action, attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
        refusal = audit(session, action, "refused")[-1]
        assert refusal.actor == username and refusal.actor_role == actor.role
    assert session.scalar(select(User).where(User.username == "nguyen.van.tu")) is None
    assert user(session, "citizen").active and session.get(Field, "van-hoa") is None
    assert count(session, ProcessDefinition) == 3  # pakn, monthly_review and clarification, as deployed by the demo


# ---------------------------------------------------------------------------------------------------- accounts


def test_a_new_account_logs_in_and_is_audited_without_its_password(session):
    account = create_account(session, user(session, "admin"), NEW_ACCOUNT)
    assert (account.email, account.phone, account.agency_code) == ("tu.nguyen@example.vn", "0912000111", "QNG-SXD")
    assert attempt_login(session, "nguyen.van.tu", "mat-khau-dai", "127.0.0.1").user.id == account.id
    entry = audit(session, "account.created")[0]
    assert entry.data["after"]["username"] == "nguyen.van.tu" and "mat-khau-dai" not in entry.data_text
    assert "password" not in entry.data_text


def test_account_rules_agency_for_staff_only_unique_username_long_password(session):
    admin = user(session, "admin")
    with pytest.raises(FormInvalid) as invalid:
        create_account(session, admin, {**NEW_ACCOUNT, "username": "Handler", "agency": "", "password": "ngan",
                                        "email": "khong-hop-le", "phone": "12345"})  # fmt: skip
    messages = invalid.value.by_field()
    assert set(messages) == {"username", "agency", "password", "email", "phone"}
    assert messages["agency"] == "Cán bộ tiếp nhận, xử lý và lãnh đạo phải thuộc một cơ quan: hãy chọn «Cơ quan»."
    assert messages["password"] == "«Mật khẩu» cần ít nhất 8 ký tự."
    with pytest.raises(FormInvalid) as invalid:
        create_account(session, admin, {**NEW_ACCOUNT, "username": "handler", "role": "citizen"})
    assert invalid.value.by_field() == {
        "username": "«Tên đăng nhập» «handler» đã có, hãy chọn giá trị khác.",
        "agency": "Người dân, quản trị và thanh tra không thuộc cơ quan nào: để trống «Cơ quan».",
    }
    assert not audit(session, "account.created")


def test_an_administrator_neither_deactivates_himself_nor_changes_his_own_role(session):
    admin = user(session, "admin")
    with pytest.raises(FormInvalid) as invalid:
        set_account_active(session, admin, admin.id, False)
    assert invalid.value.by_field() == {"active": "Không thể tự khóa tài khoản của chính mình."}
    profile = {"full_name": admin.full_name, "email": "", "phone": "", "role": "auditor", "agency": ""}
    with pytest.raises(FormInvalid) as invalid:
        update_account(session, admin, admin.id, profile)
    assert invalid.value.by_field() == {"role": "Không thể tự đổi vai trò của chính mình."}
    session.refresh(admin)
    assert admin.active and admin.role == "admin"
    # Another administrator may be removed: the acting one remains.
    second = create_account(session, admin, {**NEW_ACCOUNT, "username": "admin2", "role": "admin", "agency": ""})
    set_account_active(session, admin, second.id, False)
    assert not second.active and audit(session, "account.deactivated")[0].data["before"]["active"] is True


def test_a_deactivated_account_cannot_log_in_and_its_claimed_tasks_return_to_the_agency(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    item = claim_task(session, user(session, "handler"), item_for(session, petition, "handle").id)
    assert item.assignee == "handler"
    set_account_active(session, user(session, "admin"), user(session, "handler").id, False)
    session.refresh(item)
    assert item.assignee is None
    released = audit(session, "task.unclaimed")[-1]
    assert released.petition_id == petition.id and released.data["previous_assignee"] == "handler"
    assert audit(session, "account.deactivated")[0].data["released_tasks"] == [item.id]
    assert attempt_login(session, "handler", "demo123", "127.0.0.1").user is None
    set_account_active(session, user(session, "admin"), user(session, "handler").id, True)
    assert attempt_login(session, "handler", "demo123", "127.0.0.1").user is not None


def test_a_new_password_replaces_the_old_one(session):
    admin, citizen = user(session, "admin"), user(session, "citizen")
    with pytest.raises(FormInvalid) as invalid:
        reset_password(session, admin, citizen.id, "1234567")
    assert invalid.value.by_field() == {"password": "«Mật khẩu» cần ít nhất 8 ký tự."}
    reset_password(session, admin, citizen.id, "mot-mat-khau-moi")
    assert attempt_login(session, "citizen", "demo123", None).user is None
    assert attempt_login(session, "citizen", "mot-mat-khau-moi", None).user is not None
    entry = audit(session, "account.password_reset")[0]
    assert entry.data == {"username": "citizen", "sessions_ended": 0}


# ---------------------------------------------------------------------------------------------------- fields


def test_a_field_is_added_renamed_and_deactivated_never_deleted(session):
    admin = user(session, "admin")
    petition = submit(session, field_code="xay-dung")
    add_field(session, admin, "van-hoa", "Văn hóa, thể thao")
    rename_field(session, admin, "van-hoa", "Văn hóa, thể thao và du lịch")
    set_field_active(session, admin, "xay-dung", False)
    assert session.get(Field, "van-hoa").name == "Văn hóa, thể thao và du lịch"
    assert session.get(Field, "xay-dung").active is False and petition.field_code == "xay-dung"
    assert [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.action.like("field.%")))] == [
        "field.created", "field.renamed", "field.deactivated"]  # fmt: skip
    with pytest.raises(FormInvalid) as invalid:
        add_field(session, admin, "Dat Dai", "ĐẤT ĐAI")
    assert invalid.value.by_field() == {
        "code": "«Mã lĩnh vực» chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-), 2–50 ký tự.",
        "name": "«Tên lĩnh vực» «ĐẤT ĐAI» đã có, hãy chọn giá trị khác.",
    }


# ---------------------------------------------------------------------------------------------------- processes


def test_uploads_that_are_not_bpmn_or_too_large_are_refused_by_name():
    with pytest.raises(FormInvalid) as invalid:
        uploaded_documents([("anh.png", b"\x89PNG\r\n"), ("lon.bpmn", b"<" + b" " * MAX_BYTES)])
    messages = [e.message() for e in invalid.value.errors]
    assert messages == [
        "«Tệp BPMN»: tệp «anh.png» không phải tệp BPMN (XML, đuôi .bpmn) do Camunda Modeler lưu.",
        "«Tệp BPMN»: tệp «lon.bpmn» lớn hơn 5 MB.",
    ]
    with pytest.raises(FormInvalid):
        uploaded_documents([])
    assert uploaded_documents([("C:\\Users\\an\\pakn.bpmn", PAKN)]) == {"pakn.bpmn": PAKN}


def test_an_identical_file_is_no_new_version_a_changed_one_is(session):
    admin = user(session, "admin")
    submit(session)
    same = deploy_processes(session, admin, {"pakn.bpmn": PAKN})
    assert [(r.version, r.created) for r in same] == [(1, False)]
    changed = deploy_processes(session, admin, {"pakn.bpmn": PAKN + b"\n<!-- v2 -->\n"})
    assert [(r.version, r.created) for r in changed] == [(2, True)]
    rows = {row.definition.version: row for row in process_versions(session)}
    assert (rows[1].running, rows[1].latest, rows[2].running, rows[2].latest) == (1, False, 0, True)
    assert rows[2].definition.deployed_by == "admin"
    entries = audit(session, "process.deployed")
    assert entries[-1].data["before"] == {changed[0].process_key: 1}
    assert entries[-1].data["after"] == {changed[0].process_key: 2}


def test_a_file_with_problems_deploys_nothing(session):
    broken = PAKN.replace(b'camunda:candidateGroups="', b'camunda:candidateGroupz="', 1)
    with pytest.raises(ModelInvalid) as invalid:
        deploy_processes(session, user(session, "admin"), {"pakn.bpmn": broken})
    assert invalid.value.problems and all(p.file == "pakn.bpmn" for p in invalid.value.problems)
    assert count(session, ProcessDefinition) == 3 and not audit(session, "process.deployed")


INVISIBLE = "\u200b\u200c\u200b"  # zero-width spaces and non-joiner: a name that shows as a blank line


def test_a_name_made_only_of_invisible_characters_is_refused(session):
    admin = user(session, "admin")
    with pytest.raises(FormInvalid) as invalid:
        add_field(session, admin, "vo-hinh", INVISIBLE)
    assert invalid.value.by_field() == {
        "name": "«Tên lĩnh vực» cần ít nhất 1 ký tự nhìn thấy được (không tính dấu cách)."
    }
    with pytest.raises(FormInvalid):
        rename_field(session, admin, "xay-dung", "\ufeff" + INVISIBLE)
    agency = session.scalar(select(Agency).where(Agency.code == "QNG-SXD"))
    with pytest.raises(FormInvalid) as invalid:
        update_agency(session, admin, agency.id, {"name": INVISIBLE, "level": agency.level})
    assert "name" in invalid.value.by_field()
    assert session.get(Field, "vo-hinh") is None and session.get(Field, "xay-dung").name == "Xây dựng, đô thị"
