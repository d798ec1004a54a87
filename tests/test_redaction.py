"""Redaction before publication (issue 16.2): the intake office confirms the public title, writes the summary and
ticks the public files at the publish step; the public page, list, search and file route show only those, never the
case's own title, content or an unticked file; audited with the original beside what the public reads. And the
public case page (issue 19.5): answering agency, answer date, documents, rating; a tracking code typed on the
answers page finds its case."""

import html
import io
import re

from sqlalchemy import select

from app.attachments.files import Upload
from app.attachments.models import Attachment
from app.audit.models import AuditEntry
from app.db import make_engine, make_session_factory
from app.petitions.models import Petition
from app.petitions.operations import submit_petition
from app.petitions.ratings import rate_answer
from app.petitions.search import fold, refresh_search_texts
from app.schema import migrate

from .conftest import act, item_for, user, valid_submission
from .test_migrations import CASES, previous_release_file
from .test_web_tasks import post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
OWN_TITLE = "Ông Trần Văn Bình ở số 12 lấn chiếm vỉa hè"
OWN_CONTENT = "Nhà ông Trần Văn Bình, CCCD 012345678901, xây lấn ra vỉa hè đường Trần Hưng Đạo."
PUBLIC_TITLE = "Công trình lấn chiếm vỉa hè đường Trần Hưng Đạo"
SUMMARY = "Đã buộc tháo dỡ phần lấn chiếm."


def text(response) -> str:
    return html.unescape(response.data.decode())


def answered_case(app, session, login):
    """A case with the sender's photo and a copy of someone's identity card, answered with a document, reviewed."""
    petition = submit_petition(
        session,
        user(session, "citizen"),
        valid_submission(title=OWN_TITLE, content=OWN_CONTENT),
        [Upload("anh-hien-truong.png", PNG), Upload("cccd-nguoi-khac.pdf", PDF)],
        app.extensions["pakn"]["config"].uploads_dir,
    )
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    handle = item_for(session, petition, "handle")
    sent = post(
        login("handler"),
        f"/cong-viec/{handle.id}",
        {"action": "answer", "answer": "Sở Xây dựng đã kiểm tra.", "documents": (io.BytesIO(PDF), "tra-loi.pdf")},
    )
    assert sent.status_code == 302, sent.data.decode()
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    files = {a.file_name: a for a in session.scalars(select(Attachment).where(Attachment.petition_id == petition.id))}
    return petition, files


def test_the_public_sees_only_the_redacted_title_summary_and_ticked_files(app, session, login, client):
    petition, files = answered_case(app, session, login)
    clerk, publish = login("intake"), item_for(session, petition, "publish")
    form = text(clerk.get(f"/cong-viec/{publish.id}"))
    assert f'value="{OWN_TITLE}"' in form  # proposed, to confirm or edit
    for name in files:
        assert name in form
    boxes = re.findall(r'<input[^>]*name="public_files"[^>]*>', form)
    ticked = {re.search(r'value="(\d+)"', box).group(1) for box in boxes if "checked" in box}
    assert len(boxes) == 3 and ticked == {str(files["tra-loi.pdf"].id)}  # only the answer document is proposed

    published = post(clerk, f"/cong-viec/{publish.id}", {"public_title": PUBLIC_TITLE, "public_summary": SUMMARY,
        "public_files": [str(files["anh-hien-truong.png"].id), str(files["tra-loi.pdf"].id)]})  # fmt: skip
    assert published.status_code == 302, published.data.decode()
    session.refresh(petition)
    assert petition.status == "published" and petition.public_title == PUBLIC_TITLE

    page = text(client.get(f"/tra-cuu/{petition.tracking_code}"))
    assert PUBLIC_TITLE in page and SUMMARY in page and "anh-hien-truong.png" in page and "tra-loi.pdf" in page
    assert "Sở Xây dựng tỉnh Quảng Ngãi" in page  # the answering agency
    for secret in ("Trần Văn Bình", "012345678901", "cccd-nguoi-khac.pdf"):
        assert secret not in page
        assert secret not in text(client.get("/cong-khai"))
    assert PUBLIC_TITLE in text(client.get("/cong-khai"))
    assert PUBLIC_TITLE not in text(client.get("/cong-khai", query_string={"q": "tran van binh"}))
    assert PUBLIC_TITLE not in text(client.get("/cong-khai", query_string={"q": "012345678901"}))
    assert PUBLIC_TITLE in text(client.get("/cong-khai", query_string={"q": "lan chiem via he"}))
    assert "tran van binh" not in petition.search_text and "012345678901" not in petition.search_text

    excluded = files["cccd-nguoi-khac.pdf"].id
    assert client.get(f"/tep/{excluded}").status_code == 404
    assert client.get(f"/tra-cuu/{petition.tracking_code}/tep/{excluded}").status_code == 403  # the sender's route
    assert client.get(f"/tep/{files['anh-hien-truong.png'].id}").data == PNG
    assert client.get(f"/tep/{files['tra-loi.pdf'].id}").data == PDF

    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.redacted"))
    data = entry.data
    assert entry.actor == "intake" and entry.petition_id == petition.id
    assert data["before"]["title"] == OWN_TITLE and data["after"]["title"] == PUBLIC_TITLE
    assert data["excluded"] == ["cccd-nguoi-khac.pdf"] and data["after"]["summary"] == SUMMARY
    assert "Biên tập nội dung công khai" in text(login("auditor").get(f"/kiem-tra/{petition.instance_id}"))


def test_nothing_ticked_publishes_no_file_and_an_empty_title_is_refused(app, session, login, client):
    petition, files = answered_case(app, session, login)
    clerk, publish = login("intake"), item_for(session, petition, "publish")
    refused = post(clerk, f"/cong-viec/{publish.id}", {"public_title": "", "public_summary": SUMMARY})
    assert refused.status_code == 422 and "«Tiêu đề công khai» là bắt buộc." in text(refused)
    assert SUMMARY in text(refused)  # the input is kept
    session.refresh(petition)
    assert petition.published_at is None

    done = post(clerk, f"/cong-viec/{publish.id}", {"public_title": PUBLIC_TITLE, "public_summary": SUMMARY})
    assert done.status_code == 302
    for attachment in files.values():
        assert client.get(f"/tep/{attachment.id}").status_code == 404
    assert "tra-loi.pdf" not in text(client.get(f"/tra-cuu/{petition.tracking_code}"))


def test_a_file_of_another_case_cannot_be_ticked(app, session, login):
    petition, _files = answered_case(app, session, login)
    other, other_files = answered_case(app, session, login)
    clerk, publish = login("intake"), item_for(session, petition, "publish")
    forged = post(clerk, f"/cong-viec/{publish.id}", {"public_title": PUBLIC_TITLE, "public_summary": SUMMARY,
                                                     "public_files": [str(other_files["tra-loi.pdf"].id)]})  # fmt: skip
    assert forged.status_code == 422 and "«Tệp được công khai» phải là một trong: anh-hien-truong.png" in text(forged)
    session.refresh(petition)
    assert petition.published_at is None and other.published_at is None


def test_the_answers_page_finds_a_tracking_code_typed_loosely(app, session, login, client):
    petition, _files = answered_case(app, session, login)
    waiting, _ = answered_case(app, session, login)
    act(session, "intake", petition, "publish", public_title=PUBLIC_TITLE, public_summary=SUMMARY)
    typed = petition.tracking_code.lower().replace("-", " ")
    assert PUBLIC_TITLE in text(client.get("/cong-khai", query_string={"q": typed}))
    unpublished = text(client.get("/cong-khai", query_string={"q": waiting.tracking_code}))
    assert "Không có kết quả phù hợp." in unpublished


def test_the_public_case_page_shows_agency_answer_date_and_the_rating(app, session, login, client):
    petition, _files = answered_case(app, session, login)
    act(session, "intake", petition, "publish", public_summary=SUMMARY)  # the proposed title, confirmed
    assert petition.public_title == OWN_TITLE  # the default: the case's title as the clerk confirmed it
    page = text(client.get(f"/tra-cuu/{petition.tracking_code}"))
    assert "Cơ quan trả lời" in page and "Ngày trả lời" in page and "lượt đánh giá" not in page
    rate_answer(session, user(session, "citizen"), petition, 4, "Nhanh")
    page = text(client.get(f"/tra-cuu/{petition.tracking_code}"))
    assert "4,0/5 sao (1 lượt đánh giá)" in page


def test_answers_published_before_the_migration_keep_their_title_and_documents(tmp_path):
    url = f"sqlite:///{previous_release_file(tmp_path)}"
    migrate(make_engine(url))
    with make_session_factory(make_engine(url))() as session:
        published = session.scalar(select(Petition).where(Petition.tracking_code == CASES["published"]))
        waiting = session.scalar(select(Petition).where(Petition.tracking_code == CASES["waiting"]))
        assert published.public_title == published.title and waiting.public_title is None
        assert published.search_text == fold(f"{published.title} {published.public_summary} {published.answer}")
        assert fold(published.content) not in published.search_text  # older releases put it there
        assert refresh_search_texts(session) == 0
