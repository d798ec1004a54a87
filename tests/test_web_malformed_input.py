"""Absurd values in addresses, query strings and forms get a page or a field error, never a 500."""

import time

import pytest
from werkzeug.routing import IntegerConverter

from .conftest import submit
from .web import csrf_token

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "abc"])
def test_a_published_answers_page_number_out_of_range_still_shows_a_page(client, page):
    response = client.get("/cong-khai", query_string={"page": page})
    assert response.status_code == 200 and "Kết quả trả lời đã công khai" in response.data.decode()


@pytest.mark.parametrize(
    "bounds", [{"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "0001-01-01", "to": "9999-12-31"}]
)
def test_published_answers_filtered_by_the_first_or_last_day_of_the_calendar(client, bounds):
    assert client.get("/cong-khai", query_string=bounds).status_code == 200


def test_a_thousand_word_public_search_answers_quickly(client):
    started = time.monotonic()
    response = client.get("/cong-khai", query_string={"q": " ".join(f"tu{i}" for i in range(1200))})
    assert response.status_code == 200 and time.monotonic() - started < 10  # bounded, not instant


def test_an_audit_search_from_the_first_day_of_the_calendar(login):
    response = login("auditor").get("/kiem-tra/", query_string={"from": "0001-01-01", "to": "9999-12-31"})
    assert response.status_code == 200


def int_routes(app):
    """Every rule with an integer part, with the methods it answers."""
    for rule in app.url_map.iter_rules():
        if any(isinstance(converter, IntegerConverter) for converter in rule._converters.values()):
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            yield rule, methods


def test_huge_ids_are_not_found_on_every_integer_route(app, login):
    admin = login("admin")
    routes = list(int_routes(app))
    assert len(routes) >= 10
    for rule, methods in routes:
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", HUGE)
        for method in methods:
            response = admin.open(path, method=method)
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"


def preview_deadline(admin, **values):
    token = csrf_token(admin, "/quan-tri/lich/?lich=quang-ngai")
    form = {"province": "quang-ngai", "step": "answer", "days": "10", "unit": "working", "remind_before": "1",
            "basis": "Quyết định 31/2021/QĐ-TTg", "reason": "Thử", "csrf_token": token, **values}  # fmt: skip
    return admin.post("/quan-tri/lich/thoi-han", data=form)


@pytest.mark.parametrize("days", ["3000000", "99999999999999999999"])
def test_a_deadline_of_millions_of_days_is_a_field_error_naming_the_field_and_its_range(session, login, days):
    submit(session)  # a running case whose deadline the preview would move
    session.commit()
    response = preview_deadline(login("admin"), days=days)
    page = response.data.decode()
    assert response.status_code == 422
    assert "«Số ngày» không được lớn hơn 365." in page and "Từ 0 đến 365." in page


def test_confirming_a_deadline_of_millions_of_days_stores_nothing(session, login):
    response = preview_deadline(login("admin"), days="99999999999999999999", confirm="1")
    assert response.status_code == 422


def test_a_day_off_in_year_one_is_a_field_error(login):
    admin = login("admin")
    token = csrf_token(admin, "/quan-tri/lich/")
    form = {"calendar": "national", "date": "01/01/0001", "kind": "off", "name": "Nghỉ", "basis": "Thử",
            "reason": "Thử", "csrf_token": token}  # fmt: skip
    response = admin.post("/quan-tri/lich/ngay", data=form)
    assert response.status_code == 422 and "«Ngày» không được nhỏ hơn 01/01/2000." in response.data.decode()
