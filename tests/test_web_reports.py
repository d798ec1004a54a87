"""Downloading archived reports (issue 17 point 4) and a whole case as a PDF made on the server (point 5): who may,
what the file says, a safe Content-Disposition, every download and every refusal audited."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.engine.models import WorkItem
from app.reports.archive import render_report
from app.reports.models import ArchivedReport
from app.reports.periods import parse_period

from .conftest import act, item_for, submit
from .report_cases import a_quarter_of_cases, at
from .test_reading_and_races import DRAFT, transferred_case

Q3 = parse_period("2026-Q3")


def archive(session, place, fmt):
    content = render_report(session, None if place == "toan-quoc" else place, Q3, fmt, at(2026, 10, 1, 7, 0))
    row = ArchivedReport(
        province_code=place, period="2026-Q3", format=fmt, content=content, generated_at=at(2026, 10, 1)
    )
    session.add(row)
    session.commit()
    return row.id


def audited(session, action, outcome):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == outcome)).all()


def test_leaders_and_the_intake_office_download_their_provinces_reports_and_auditors_every_one(session, login):
    a_quarter_of_cases(session)
    quang_ngai, lai_chau = archive(session, "quang-ngai", "xlsx"), archive(session, "lai-chau", "pdf")
    country = archive(session, "toan-quoc", "pdf")
    leader = login("leader")
    page = leader.get("/bao-cao").data.decode()
    assert "Báo cáo định kỳ" in page and "Quảng Ngãi" in page and "Quý 3/2026" in page
    assert "Lai Châu" not in page and "Cả nước" not in page
    got = leader.get(f"/bao-cao/{quang_ngai}")
    assert got.status_code == 200 and got.headers["Content-Disposition"] == (
        'attachment; filename="bao-cao-quang-ngai-2026-Q3.xlsx"'
    )
    assert got.headers["X-Content-Type-Options"] == "nosniff" and got.mimetype.endswith("spreadsheetml.sheet")
    assert got.data.startswith(b"PK")  # a zip: the workbook
    assert leader.get(f"/bao-cao/{lai_chau}").status_code == 403
    assert login("intake").get(f"/bao-cao/{quang_ngai}").status_code == 200
    lai_chau_intake = login("intake-lc")
    assert lai_chau_intake.get(f"/bao-cao/{lai_chau}").status_code == 200
    assert lai_chau_intake.get(f"/bao-cao/{quang_ngai}").status_code == 403
    assert lai_chau_intake.get(f"/bao-cao/{country}").status_code == 403
    auditor = login("auditor")
    listed = auditor.get("/bao-cao").data.decode()
    assert "Cả nước" in listed and "Lai Châu" in listed and "Quảng Ngãi" in listed
    national = auditor.get(f"/bao-cao/{country}")
    assert national.status_code == 200 and national.headers["Content-Disposition"].endswith('toan-quoc-2026-Q3.pdf"')
    assert "Cả nước — Quý 3/2026" in PdfReader(io.BytesIO(national.data)).pages[0].extract_text()
    for outsider in ("citizen", "handler"):
        assert login(outsider).get(f"/bao-cao/{quang_ngai}").status_code == 403
        assert login(outsider).get("/bao-cao").status_code == 403
    assert auditor.get("/bao-cao/999999").status_code == 404
    downloads = audited(session, "report.download", "ok")
    assert sorted(e.actor for e in downloads) == ["auditor", "intake", "intake-lc", "leader"]
    refused = audited(session, "report.download", "refused")
    assert sorted(e.actor for e in refused) == ["intake-lc", "intake-lc", "leader"]
    assert "Báo cáo định kỳ" in login("intake").get("/").data.decode()  # the menu entry


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", " ")


def test_a_case_is_exported_as_a_pdf_by_staff_who_read_it_and_by_auditors(session, login):
    cases = a_quarter_of_cases(session)
    late = cases["late"]
    task = session.scalar(
        select(WorkItem).where(WorkItem.instance_id == late.instance_id, WorkItem.bpmn_id == "handle")
    )
    got = login("handler").get(f"/cong-viec/{task.id}/ho-so.pdf")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"] == f'attachment; filename="ho-so-{late.tracking_code}.pdf"'
    text = pdf_text(got.data)
    for phrase in (
        f"Hồ sơ PAKN {late.tracking_code}", late.title, "Người xuất: Lê Văn Cường",
        "Nguyễn Văn An", "Công trình tại số 12 đường Trần Hưng Đạo",
        "Xây dựng, đô thị", "Phân loại PAKN", "Xử lý, trả lời", "Đã xử lý, trả lời chậm.",
    ):  # fmt: skip
        assert phrase in text, phrase
    audit = login("auditor").get(f"/kiem-tra/{late.instance_id}/ho-so.pdf")
    assert audit.status_code == 200 and "Đã xử lý, trả lời chậm." in pdf_text(audit.data)
    assert login("handler2").get(f"/cong-viec/{task.id}/ho-so.pdf").status_code == 403  # another agency's task
    assert login("citizen").get(f"/cong-viec/{task.id}/ho-so.pdf").status_code == 403
    assert login("handler").get(f"/kiem-tra/{late.instance_id}/ho-so.pdf").status_code == 403
    exports = audited(session, "case.exported_pdf", "ok")
    assert [(e.actor, e.petition_id) for e in exports] == [("handler", late.id), ("auditor", late.id)]
    page = login("handler").get(f"/cong-viec/{task.id}").data.decode()
    assert f"/cong-viec/{task.id}/ho-so.pdf" in page
    case_page = login("auditor").get(f"/kiem-tra/{late.instance_id}").data.decode()
    assert f"/kiem-tra/{late.instance_id}/ho-so.pdf" in case_page


def test_an_agency_that_transferred_the_case_exports_it_as_it_stood_when_it_left(app, session, login):
    petition, old_task = transferred_case(session, app)
    text = pdf_text(login("handler").get(f"/cong-viec/{old_task.id}/ho-so.pdf").data)
    assert "anh-hien-truong.png" in text and DRAFT not in text and "du-thao.pdf" not in text
    new_task = item_for(session, petition, "leader_approve")
    full = pdf_text(login("leader2").get(f"/cong-viec/{new_task.id}/ho-so.pdf").data)
    assert "du-thao.pdf" in full


def test_a_state_secret_case_exports_only_that_it_was_handled_outside_the_system(session, login):
    petition = submit(session)
    classify = act(session, "intake", petition, "classify", decision="state_secret", reason="Liên quan bí mật nhà nước")
    assert petition.status == "closed_secret"
    text = pdf_text(login("intake").get(f"/cong-viec/{classify.id}/ho-so.pdf").data)
    assert petition.tracking_code in text and "bí mật nhà nước" in text
    for private in (petition.content, petition.sender_name, petition.title, "Liên quan bí mật nhà nước"):
        assert private not in text, private
