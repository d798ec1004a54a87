"""The intake office corrects a wrong field or kind while the case is open; audited with before and after; the
process's own `kind` follows; nobody else may."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.engine.instances import read_instance
from app.errors import FormInvalid, PermissionDenied
from app.petitions.corrections import correct_classification

from .conftest import act, item_for, submit, user
from .web import csrf_token


def test_the_intake_office_corrects_the_field_and_kind_and_the_process_follows(session):
    petition = submit(session, kind="regulation", field_code="xay-dung")
    correct_classification(session, user(session, "intake"), petition, "moi-truong", "field_report")
    assert (petition.field_code, petition.kind) == ("moi-truong", "field_report")
    snapshot = read_instance(session, petition.instance_id)
    assert snapshot.task_data(item_for(session, petition, "classify").task_id)["kind"] == "field_report"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.corrected"))
    assert entry.data == {
        "before": {"field_code": "xay-dung", "kind": "regulation"},
        "after": {"field_code": "moi-truong", "kind": "field_report"},
    }
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SNNMT")  # the case goes on


def test_a_wrong_value_is_named_and_others_or_a_closed_case_are_refused(session):
    petition = submit(session)
    with pytest.raises(FormInvalid) as refused:
        correct_classification(session, user(session, "intake"), petition, "khong-co", "khong-co")
    assert set(refused.value.by_field()) == {"field_code", "kind"}
    with pytest.raises(PermissionDenied):
        correct_classification(session, user(session, "handler"), petition, "moi-truong", "regulation")
    with pytest.raises(PermissionDenied):
        correct_classification(session, user(session, "intake-lc"), petition, "moi-truong", "regulation")
    act(session, "intake", petition, "classify", decision="reject", reason="Không thuộc phạm vi")
    with pytest.raises(PermissionDenied):
        correct_classification(session, user(session, "intake"), petition, "moi-truong", "regulation")
    refusals = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.corrected")).all()
    assert [e.outcome for e in refusals] == ["refused"] * 3


def test_the_task_page_offers_the_correction_to_the_intake_office_only(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    clerk = login("intake")
    assert "Sửa lĩnh vực, loại phản ánh, kiến nghị" in clerk.get(f"/cong-viec/{item.id}").data.decode()
    token = csrf_token(clerk, f"/cong-viec/{item.id}")
    sent = clerk.post(f"/cong-viec/{item.id}/phan-loai", data={"csrf_token": token, "field_code": "giao-thong",
                                                               "kind": "regulation"})  # fmt: skip
    assert sent.status_code == 302
    session.refresh(petition)
    assert petition.field_code == "giao-thong"
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    handle = item_for(session, petition, "handle")
    assert "/phan-loai" not in login("handler").get(f"/cong-viec/{handle.id}").data.decode()
