"""Requests: size refused before reading, uploads streamed to disk, files never run by a browser, no control
characters, titles that can be seen."""

import io
import tracemalloc

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from app.attachments.files import Upload
from app.attachments.models import Attachment
from app.petitions.models import Petition
from app.petitions.operations import submit_petition

from .conftest import item_for, user, valid_submission
from .web import csrf_token, log_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><body><script>fetch('/quan-tri/')</script></body></html>"


class CountingStream(io.RawIOBase):
    """A request body that says how much of it the server read (and never ends)."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_a_500_mb_anonymous_post_is_refused_with_413_before_its_body_is_read(app):
    body = CountingStream()
    environ = EnvironBuilder(path="/gui-phan-anh", method="POST").get_environ()
    environ.update(
        {
            "wsgi.input": body,
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
            "CONTENT_LENGTH": str(500 * 1024 * 1024),
        }
    )
    _body, status, _headers = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("413")
    assert body.read_bytes == 0


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_an_upload_is_streamed_to_disk_not_held_in_memory(app, client, session):
    token = csrf_token(client, "/gui-phan-anh")
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (20 * 1024 * 1024 - 64)
    form = {**valid_submission(kind="field_report"), "csrf_token": token, "attachments": (io.BytesIO(video), "c.mp4")}
    environ = EnvironBuilder(
        path="/gui-phan-anh",
        method="POST",
        data=form,
        headers={"Cookie": f"session={client.get_cookie('session').value}"},
    ).get_environ()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        _body, status, _headers = run_wsgi_app(app, environ, buffered=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status.startswith("302"), status
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB for a 20 MB upload"
    stored = session.scalar(select(Attachment))
    assert stored.size == len(video) and stored.content_type == "video/mp4"


def with_files(session, app, *files):
    return submit_petition(
        session,
        user(session, "citizen"),
        valid_submission(kind="field_report"),
        [Upload(name, data) for name, data in files],
        app.extensions["pakn"]["config"].uploads_dir,
    )


def download(login, session, petition, name):
    row = session.scalar(select(Attachment).where(Attachment.file_name == name))
    item = item_for(session, petition, "classify")
    return login("intake").get(f"/cong-viec/{item.id}/tep/{row.id}")


def test_a_png_with_html_inside_is_served_as_an_image_no_browser_would_run(app, session, login):
    petition = with_files(session, app, ("anh.html", PNG + HTML))
    response = download(login, session, petition, "anh.html")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_pdf_or_video_with_html_inside_is_downloaded_never_shown_as_a_page(app, session, login):
    petition = with_files(session, app, ("bao-cao.pdf", b"%PDF-1.4\n" + HTML), ("anh.png", PNG))
    response = download(login, session, petition, "bao-cao.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_name_cannot_forge_a_header(app, session, login):
    petition = with_files(session, app, ('a"\r\nSet-Cookie: x=1\r\n.png', PNG))
    row = session.scalar(select(Attachment))
    assert row.file_name == "aSet-Cookie: x=1.png"
    response = download(login, session, petition, row.file_name)
    assert "Set-Cookie" not in response.headers or "x=1" not in response.headers.get("Set-Cookie", "")
    assert response.headers["Content-Disposition"] == 'inline; filename="aSet-Cookie: x=1.png"'


def test_a_nul_in_the_content_is_refused_beside_the_field_with_the_input_kept(client, session):
    token = csrf_token(client, "/gui-phan-anh")
    form = {**valid_submission(content="Nội dung có ký tự\x00 lạ ở giữa câu văn này"), "csrf_token": token}
    response = client.post("/gui-phan-anh", data=form)
    page = response.data.decode()
    assert response.status_code == 422
    assert "«Nội dung» chứa ký tự điều khiển không gõ được" in page
    assert valid_submission()["title"] in page  # the rest of the input is kept
    assert count(session, Petition) == 0


def test_a_title_needs_five_visible_characters(client, session):
    token = csrf_token(client, "/gui-phan-anh")
    for title in ("\u200b\u200b\u200b\u200b\u200b\u200b", "a  b   c    .", "  \u00a0 ab\u200d\u200dcd  "):
        response = client.post("/gui-phan-anh", data={**valid_submission(title=title), "csrf_token": token})
        assert response.status_code == 422, title
        assert "«Tiêu đề» cần ít nhất 5 ký tự nhìn thấy được" in response.data.decode()
    assert count(session, Petition) == 0
    accepted = client.post("/gui-phan-anh", data={**valid_submission(title="Ổ gà"), "csrf_token": token})
    assert accepted.status_code == 422  # three letters are not a title either
    assert (
        client.post("/gui-phan-anh", data={**valid_submission(title="Đèn hỏng"), "csrf_token": token}).status_code
        == 302
    )


def test_a_control_character_anywhere_else_is_a_400_naming_the_parameter(client):
    token = csrf_token(client)
    response = client.post("/dang-nhap", data={"username": "admin\x00", "password": "x", "csrf_token": token})
    assert response.status_code == 400
    assert "«username» chứa ký tự điều khiển không hợp lệ" in response.data.decode()
    assert client.get("/cong-khai?q=%00").status_code == 400


def test_a_control_character_in_a_task_form_is_refused_beside_its_field(session, login):
    from .conftest import submit  # noqa: PLC0415

    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    token = csrf_token(intake, f"/cong-viec/{item.id}")
    data = {"decision": "reject", "reason": "Không thuộc\x07 thẩm quyền", "csrf_token": token}
    response = intake.post(f"/cong-viec/{item.id}", data=data)
    assert response.status_code == 422
    assert "chứa ký tự điều khiển không gõ được" in response.data.decode()


def test_the_login_form_still_works_after_a_refused_control_character(client):
    client.post("/dang-nhap", data={"username": "x\x01", "password": "y", "csrf_token": csrf_token(client)})
    assert log_in(client, "handler").status_code == 302


def _multipart_submission(client, content: str):
    token = csrf_token(client, "/gui-phan-anh")
    form = {**valid_submission(kind="field_report"), "content": content, "csrf_token": token}
    form["attachments"] = (io.BytesIO(PNG), "a.png")
    return client.post("/gui-phan-anh", data=form, content_type="multipart/form-data")


def test_a_pasted_text_over_half_a_megabyte_is_named_by_its_field_and_kept(client, session):
    """Flask's 500 kB limit on one typed field of a multipart form answered 413, blaming the files and losing the
    text: a text that long now reaches the form's own check, which names the field and keeps what was typed."""
    long_text = "Nội dung rất dài. " * 30_000  # 540,000 characters, ≈ 600 kB in UTF-8
    stored = count(session, Petition)
    response = _multipart_submission(client, long_text)
    page = response.data.decode()
    assert response.status_code == 422 and "«Nội dung» dài tối đa 20000 ký tự." in page
    assert long_text.strip() in page  # kept in its field
    assert count(session, Petition) == stored  # nothing half-saved


def test_a_field_over_the_form_limit_is_refused_naming_the_field_limit_not_the_files(client):
    response = _multipart_submission(client, "a" * (3 * 1024 * 1024))
    page = response.data.decode()
    assert response.status_code == 413 and "Một ô của biểu mẫu dài quá 2 MB" in page
    assert "Mỗi tệp tối đa" not in page
