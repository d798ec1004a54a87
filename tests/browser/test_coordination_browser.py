"""A co-handling journey in a real browser (issue 15): the lead drafts a direction, a co-handling agency disagrees,
the lead's leader takes it to the provincial chair, who names a lead agency with a directive; that agency's answer
is approved, reviewed and published for the sender to read."""

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.petitions.models import Petition

from ..conftest import act, submit
from .conftest import DESK, log_in
from .test_journeys import finish, open_task


def test_co_handling_disagreement_escalated_to_the_chair_who_names_the_lead_whose_answer_is_published(
    open_page, shots, sessions
):
    with sessions() as session:
        petition = submit(session, title="Lấn chiếm đất nông nghiệp để xây dựng")
        forward = {"decision": "forward", "lead_agency": "QNG-SXD", "co_agencies": ["QNG-SNNMT"]}
        act(session, "intake", petition, "classify", **forward)
        code = petition.tracking_code
        session.commit()

    lead = open_page(DESK)
    log_in(lead, "handler")
    open_task(lead, code, "Xử lý, dự thảo văn bản trả lời")
    lead.check("input[name=action][value=consult]")
    lead.fill("#cf-direction", "Xử phạt vi phạm trật tự xây dựng, buộc tháo dỡ công trình")
    finish(lead, shots, "lead-sends-direction")

    co = open_page(DESK)
    log_in(co, "handler2")
    open_task(co, code, "Góp ý của cơ quan phối hợp")
    assert "buộc tháo dỡ công trình" in co.content()  # the direction it is asked about
    co.fill("#cf-opinion", "Đất nông nghiệp bị chuyển mục đích trái phép: thuộc thẩm quyền Sở NN&MT")
    co.uncheck("input[name=agrees]")
    finish(co, shots, "co-agency-disagrees")

    open_task(lead, code, "Xử lý, dự thảo văn bản trả lời")
    opinions = lead.locator("#y-kien-phoi-hop")
    assert "Không thống nhất" in opinions.inner_text() and "thuộc thẩm quyền Sở NN&MT" in opinions.inner_text()
    lead.check("input[name=action][value=answer]")
    lead.fill("#cf-answer", "Dự thảo: xử phạt vi phạm trật tự xây dựng")
    finish(lead, shots, "lead-drafts-beside-the-opinion")

    leader = open_page(DESK)
    log_in(leader, "leader")
    open_task(leader, code, "Lãnh đạo duyệt văn bản trả lời")
    leader.check("input[name=leader_decision][value=escalate]")
    leader.fill("#cf-escalation_reason", "Sở NN&MT không thống nhất hướng xử lý")
    finish(leader, shots, "leader-escalates")

    chair = open_page(DESK)
    log_in(chair, "chair")
    open_task(chair, code, "Chủ tịch xem xét, quyết định")
    chair.check("input[name=chair_decision][value=assign]")
    chair.select_option("#cf-chair_lead", "QNG-SNNMT")
    chair.fill("#cf-directive", "Giao Sở NN&MT chủ trì xử lý, Sở Xây dựng phối hợp")
    finish(chair, shots, "chair-names-the-lead")

    open_task(co, code, "Xử lý, dự thảo văn bản trả lời")
    co.check("input[name=action][value=answer]")
    co.fill("#cf-answer", "Sở NN&MT đã lập biên bản, buộc khôi phục hiện trạng đất nông nghiệp.")
    finish(co, shots, "named-lead-answers")
    co_leader = open_page(DESK)
    log_in(co_leader, "leader2")
    open_task(co_leader, code, "Lãnh đạo duyệt văn bản trả lời")
    co_leader.check("input[name=leader_decision][value=approve]")
    finish(co_leader, shots, "named-lead-leader-approves")

    clerk = open_page(DESK)
    log_in(clerk, "intake")
    open_task(clerk, code, "Kiểm tra kết quả trả lời")
    clerk.check("input[name=review_decision][value=approve]")
    finish(clerk, shots, "intake-approves")
    open_task(clerk, code, "Công khai kết quả trả lời")
    clerk.fill("#cf-public_summary", "Buộc khôi phục hiện trạng đất nông nghiệp.")
    finish(clerk, shots, "intake-publishes")

    reader = open_page(DESK)
    reader.goto(f"/tra-cuu/{code}")
    assert "buộc khôi phục hiện trạng đất nông nghiệp" in reader.locator(".answer").inner_text()
    shots(reader, "sender-reads-the-answer")
    with sessions() as session:
        petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
        assert petition.status == "published" and petition.lead_agency.code == "QNG-SNNMT"
        names = session.scalars(
            select(AuditEntry.task_name).where(
                AuditEntry.petition_id == petition.id, AuditEntry.action == "task.completed"
            )
        ).all()
    assert "Chủ tịch xem xét, quyết định" in names and "Góp ý của cơ quan phối hợp" in names
