"""Error pages: in the product's layout, Vietnamese with the English switch, each saying what to do next."""

import re

import pytest
from flask import abort
from werkzeug.exceptions import TooManyRequests

from app.errors import Conflict, NotFound, PermissionDenied

from .web import csrf_token


def main_text(response) -> str:
    """The page's <main>, tags removed: what a reader sees of the error."""
    main = re.search(r"<main>(.*)</main>", response.data.decode(), re.S)
    assert main, "the page has the product's layout"
    return " ".join(re.sub(r"<[^>]+>", " ", main.group(1)).split())


def in_layout(response) -> bool:
    page = response.data.decode()
    return 'class="top"' in page and "/static/app.css" in page


def to_english(client):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})


@pytest.fixture
def failing_app(app):
    """The test's app with routes that fail on purpose (registered here only, before any request)."""

    @app.get("/_test/loi")
    def _raises():
        raise RuntimeError("an unexpected failure")

    @app.get("/_test/xung-dot")
    def _conflict():
        abort(409)

    @app.get("/_test/qua-nhieu")
    def _too_many():
        raise TooManyRequests(retry_after=90)

    @app.get("/_test/khong-tim-thay")
    def _specific_not_found():
        abort(404, description="Không có hồ sơ (phiên quy trình) mang số này.")

    @app.get("/_test/tu-choi")
    def _refused():
        raise PermissionDenied("an operation's refusal")

    @app.get("/_test/khong-co")
    def _missing():
        raise NotFound("work item 7")

    @app.get("/_test/da-xong")
    def _done():
        raise Conflict("the task was completed by handler", by="handler")

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: an unhandled error becomes the 500 page
    return app


def test_an_unknown_address_is_a_404_page_in_the_layout_saying_where_to_go(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404 and in_layout(response)
    text = main_text(response)
    assert "Không tìm thấy trang" in text and "Về trang chủ" in text


def test_the_404_page_follows_the_english_switch(client):
    to_english(client)
    text = main_text(client.get("/khong-co-trang-nay"))
    assert "Page not found" in text and "Go to the start page" in text


def test_an_unknown_tracking_code_says_the_code_was_not_found_and_offers_another_lookup(client):
    response = client.get("/tra-cuu/ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    text = main_text(response)
    assert "Không tìm thấy mã tra cứu" in text and "Tra cứu mã khác" in text


def test_a_page_gives_its_own_reason_for_a_404(failing_app):
    client = failing_app.test_client()
    to_english(client)
    text = main_text(client.get("/_test/khong-tim-thay"))
    assert "No case (process instance) has this number." in text


def test_a_forbidden_page_says_to_use_an_account_that_may(login):
    response = login("citizen").get("/quan-tri/")
    assert response.status_code == 403 and in_layout(response)
    assert "Không có quyền truy cập" in main_text(response)


def test_a_form_without_its_csrf_token_says_to_reload_and_send_again(client):
    response = client.post("/gui-phan-anh", data={"title": "x"})
    assert response.status_code == 400 and in_layout(response)
    text = main_text(response)
    assert "Biểu mẫu đã hết hạn" in text and "tải lại trang" in text


def test_a_wrong_method_is_a_405_page_that_keeps_the_allowed_methods(client):
    response = client.put("/cong-khai")
    assert response.status_code == 405 and in_layout(response)
    assert "GET" in response.headers["Allow"]
    assert "Không thực hiện được thao tác" in main_text(response)


def test_a_conflict_says_to_reload_and_try_again(failing_app):
    response = failing_app.test_client().get("/_test/xung-dot")
    assert response.status_code == 409 and in_layout(response)
    text = main_text(response)
    assert "Dữ liệu vừa thay đổi" in text and "Thử lại" in text


def test_too_many_requests_says_when_to_retry(failing_app):
    response = failing_app.test_client().get("/_test/qua-nhieu")
    assert response.status_code == 429 and response.headers["Retry-After"] == "90"
    assert "thử lại sau 90 giây" in main_text(response)


def test_too_large_a_form_names_the_size_limits(app):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    client = app.test_client()
    response = client.post(
        "/gui-phan-anh", data=b"x" * (3 * 1024 * 1024), headers={"Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 413 and in_layout(response)
    text = main_text(response)
    assert "Dữ liệu gửi lên quá lớn" in text and "2 MB" in text and "20 MB" in text


def test_an_unexpected_failure_renders_the_500_page_in_the_layout(failing_app):
    response = failing_app.test_client().get("/_test/loi")
    assert response.status_code == 500 and in_layout(response)
    text = main_text(response)
    assert "Đã có lỗi xảy ra" in text and "an unexpected failure" not in text
    assert response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path, code, title",
    [("/_test/tu-choi", 403, "Không có quyền truy cập"), ("/_test/khong-co", 404, "Không tìm thấy trang"),
     ("/_test/da-xong", 409, "Dữ liệu vừa thay đổi")],
)  # fmt: skip
def test_a_domain_refusal_a_missing_thing_or_a_conflict_gets_its_page_from_the_app_not_from_each_view(
    failing_app, path, code, title
):
    response = failing_app.test_client().get(path)
    assert response.status_code == code and in_layout(response) and title in main_text(response)
