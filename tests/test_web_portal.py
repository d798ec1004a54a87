"""The public portal through the test client: submit with attachments, look up, reply, read published answers."""

import io
import re

from sqlalchemy import select
from vietnam_provinces import Ward

from app.attachments.models import Attachment
from app.petitions.models import Petition

from .conftest import act, submit, valid_submission
from .web import csrf_token, log_in

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 20


def form(**overrides):
    data = {k: v for k, v in valid_submission().items() if k != "channel"}
    data.update(overrides)
    return data


def test_a_citizen_submits_with_a_photo_and_a_pdf_and_gets_a_tracking_code(client, session, app):
    token = csrf_token(client, "/gui-phan-anh")
    data = form(csrf_token=token)
    data["attachments"] = [(io.BytesIO(JPEG), "../../hien-truong.jpg"), (io.BytesIO(PDF), "giay-to.pdf")]
    response = client.post("/gui-phan-anh", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/tra-cuu/{code}").data.decode()
    assert code in page and "Đã tiếp nhận" in page or "Đang phân loại" in page
    petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
    files = session.scalars(select(Attachment).where(Attachment.petition_id == petition.id)).all()
    assert sorted((f.file_name, f.content_type) for f in files) == [
        ("giay-to.pdf", "application/pdf"),
        ("hien-truong.jpg", "image/jpeg"),
    ]
    stored = app.extensions["pakn"]["config"].uploads_dir / files[0].sha256[:2] / files[0].sha256
    assert stored.read_bytes() in (JPEG, PDF)


def test_a_disguised_file_and_a_missing_title_are_named_and_the_input_is_kept(client, session):
    token = csrf_token(client, "/gui-phan-anh")
    data = form(csrf_token=token, title="", content="Nội dung đủ dài để không bị từ chối vì quá ngắn.")
    data["attachments"] = [(io.BytesIO(b"MZ\x90\x00 not a photo"), "anh.jpg")]
    response = client.post("/gui-phan-anh", data=data, content_type="multipart/form-data")
    page = response.data.decode()
    assert response.status_code == 422
    assert "«Tiêu đề» là bắt buộc." in page
    assert "tệp «anh.jpg» không phải ảnh, video hay PDF" in page
    assert "Nội dung đủ dài để không bị từ chối vì quá ngắn." in page and 'value="Nguyễn Văn An"' in page
    assert session.scalar(select(Petition.id)) is None  # nothing half-saved


def test_lookup_by_code_in_any_case_and_with_spaces(client, session):
    petition = submit(session)
    response = client.get("/tra-cuu", query_string={"ma": " " + petition.tracking_code.lower().replace("-", " ") + " "})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).data.decode()
    assert petition.title in page and "Hạn phân loại, chuyển cơ quan giải quyết" in page  # the running deadline
    assert client.get("/tra-cuu/ZZZZ-ZZZZ-ZZZZ").status_code == 404


def test_the_sender_replies_to_a_request_for_information_from_the_portal(client, session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="request_info", reason="Cần địa chỉ cụ thể")
    log_in(client, "citizen")
    page = client.get(f"/tra-cuu/{petition.tracking_code}").data.decode()
    assert "Bổ sung thông tin" in page
    token = csrf_token(client, f"/tra-cuu/{petition.tracking_code}")
    empty = client.post(f"/tra-cuu/{petition.tracking_code}/bo-sung", data={"csrf_token": token, "info": ""})
    assert empty.status_code == 422
    done = client.post(f"/tra-cuu/{petition.tracking_code}/bo-sung", data={"csrf_token": token, "info": "Số 12"})
    assert done.status_code == 302
    session.refresh(petition)
    assert petition.status == "classifying"


def publish(session, petition, answer, summary):
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer=answer)
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary=summary)
    assert petition.status == "published"


def test_published_answers_are_searchable_without_diacritics_and_hidden_cases_never_appear(client, session):
    land = submit(session, title="Tranh chấp đất đai tại thôn 3", field_code="dat-dai")
    publish(session, land, "Đã hoà giải thành, hai bên thống nhất ranh giới đất đai.", "Hoà giải thành")
    road = submit(session, title="Đường giao thông xuống cấp", field_code="giao-thong")
    publish(session, road, "Sở Xây dựng đã sửa chữa mặt đường.", "Đã sửa chữa")
    secret = submit(session, title="Đất đai khu quân sự")
    act(session, "intake", secret, "classify", decision="state_secret", reason="Thuộc bí mật nhà nước")

    page = client.get("/cong-khai", query_string={"q": "dat dai"}).data.decode()
    assert land.title in page and road.title not in page and secret.title not in page
    page = client.get("/cong-khai", query_string={"field": "giao-thong"}).data.decode()
    assert road.title in page and land.title not in page
    page = client.get("/cong-khai", query_string={"agency": "QNG-SXD", "province": "quang-ngai"}).data.decode()
    assert road.title in page and land.title in page
    assert "Không có kết quả" in client.get("/cong-khai", query_string={"from": "2099-01-01"}).data.decode()
    answer = client.get(f"/tra-cuu/{land.tracking_code}").data.decode()
    assert "Đã hoà giải thành" in answer
    hidden = client.get(f"/tra-cuu/{secret.tracking_code}").data.decode()
    assert secret.title not in hidden


def test_the_portal_in_english(client):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, "/gui-phan-anh"), "next": "/"})
    page = client.get("/gui-phan-anh").data.decode()
    assert "Submit feedback or a petition" in page and "Contact details" in page


def test_the_sender_rates_the_published_answer_and_others_cannot(client, session):
    petition = submit(session)
    publish(session, petition, "Đã xử lý.", "Đã xử lý")
    path = f"/tra-cuu/{petition.tracking_code}"
    assert "Đánh giá mức độ hài lòng" not in client.get(path).data.decode()  # not signed in
    log_in(client, "citizen")
    token = csrf_token(client, path)
    bad = client.post(f"{path}/danh-gia", data={"csrf_token": token, "stars": "9", "comment": "Tốt"})
    assert bad.status_code == 422 and "«Số sao» phải là một trong: 1, 2, 3, 4, 5." in bad.data.decode()
    assert "Tốt" in bad.data.decode()
    good = client.post(f"{path}/danh-gia", data={"csrf_token": token, "stars": "4", "comment": "Xử lý nhanh"})
    assert good.status_code == 302
    from app.petitions.models import Rating

    rating = session.scalar(select(Rating).where(Rating.petition_id == petition.id))
    assert (rating.stars, rating.comment, rating.rated_by) == (4, "Xử lý nhanh", "citizen")
    client.post("/dang-xuat", data={"csrf_token": csrf_token(client, path)})
    log_in(client, "handler")
    refused = client.post(f"{path}/danh-gia", data={"csrf_token": csrf_token(client, path), "stars": "1"})
    assert refused.status_code == 403


def test_a_citizen_lists_his_own_petitions_only(session, login):
    own = submit(session, "citizen", title="Đèn tín hiệu giao thông hỏng")
    anonymous = submit(session, None, title="Cây xanh đổ chắn đường")
    page = login("citizen").get("/cua-toi").data.decode()
    assert own.tracking_code in page and "Đèn tín hiệu giao thông hỏng" in page
    assert anonymous.tracking_code not in page
    assert login("handler").get("/cua-toi").status_code == 403


def test_the_form_offers_the_provinces_taking_petitions_and_no_commune_before_one_is_chosen(client):
    page = client.get("/gui-phan-anh").data.decode()
    provinces = page[page.index('id="province_code"') : page.index("</select>", page.index('id="province_code"'))]
    assert re.findall(r'<option value="([a-z-]+)"', provinces) == ["bac-ninh", "lai-chau", "quang-ngai"]
    communes = page[page.index('id="commune_code"') : page.index("</select>", page.index('id="commune_code"'))]
    assert communes.count("<option") == 1 and 'data-communes-of="province_code"' in communes
    assert "communes.js" in page


def test_without_javascript_choosing_the_province_lists_its_communes_and_keeps_the_input(client, session):
    data = form(csrf_token=csrf_token(client, "/gui-phan-anh"), province_code="lai-chau", commune_code="")
    response = client.post("/gui-phan-anh", data={**data, "chon_tinh": "1"})
    page = response.data.decode()
    assert response.status_code == 200 and "là bắt buộc" not in page  # shown again, not submitted
    assert '<option value="3408" >Phường Tân Phong</option>' in page and "Phường Kon Tum" not in page
    assert '<option value="lai-chau" selected>' in page and data["content"] in page
    assert session.scalar(select(Petition.id)) is None


def test_a_commune_of_another_province_is_named_in_vietnamese_or_english_and_the_input_kept(client, session):
    data = form(csrf_token=csrf_token(client, "/gui-phan-anh"), commune_code="3408")  # Tân Phong, Lai Châu
    page = client.post("/gui-phan-anh", data=data).data.decode()
    assert "«Xã, phường, đặc khu»: Phường Tân Phong không thuộc Quảng Ngãi" in page
    assert '<option value="23293" >Phường Kon Tum</option>' in page and data["content"] in page
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, "/gui-phan-anh"), "next": "/"})
    response = client.post("/gui-phan-anh", data={**data, "commune_code": ""})
    assert response.status_code == 422 and "“Commune, ward or special zone” is required." in response.data.decode()
    assert session.scalar(select(Petition.id)) is None


def test_the_case_page_names_the_commune_and_the_province(client, session):
    petition = submit(session)
    assert "Địa bàn: Phường Kon Tum, Quảng Ngãi" in client.get(f"/tra-cuu/{petition.tracking_code}").data.decode()


def test_the_form_script_reads_a_provinces_communes_as_json(client):
    response = client.get("/don-vi-hanh-chinh/quang-ngai/xa-phuong")
    communes = response.get_json()
    assert response.status_code == 200 and response.cache_control.max_age == 3600
    assert len(communes) == len(list(Ward.iter_by_province(51))) and [23293, "Phường Kon Tum"] in communes
    assert client.get("/don-vi-hanh-chinh/kon-tum/xa-phuong").status_code == 404
