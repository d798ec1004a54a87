"""Pages hardened: security headers on every response, names from data shown as text, spreadsheet-safe CSV,
redirects only to local paths."""

import base64
import csv
import hashlib
import io
import re

import pytest
from sqlalchemy import select

from app.audit.log import record
from app.config import ROOT
from app.engine.models import ProcessDefinition

from .conftest import act, item_for, submit
from .web import csrf_token

TEMPLATES = ROOT / "app" / "web" / "templates"
STATIC = ROOT / "app" / "web" / "static"
MARKUP_NAME = "<img src=x onerror=alert(1)> 100% xong"
ESCAPED_NAME = "&lt;img src=x onerror=alert(1)&gt; 100% xong"


def directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/cong-khai", "/static/app.css", "/healthz", "/khong-co-trang-nay"])
def test_every_response_forbids_framing_sniffing_and_leaking_the_address(client, path):
    response = client.get(path)
    assert "frame-ancestors 'none'" in directives(response)["frame-ancestors"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"  # case addresses hold tracking codes
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_policy_runs_only_our_own_script_files_and_no_page_needs_inline_script_or_style(client):
    policy = directives(client.get("/"))
    assert policy["script-src"] == "script-src 'self'"
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in str(policy)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path}"
        assert not re.search(r"\sstyle\s*=", text), f"inline style attribute in {path}"
        assert "javascript:" not in text, f"javascript: address in {path}"
    for path in STATIC.glob("*.js"):
        assert not re.search(r"\beval\(|new Function\(", path.read_text(encoding="utf-8")), f"eval in {path}"


def test_the_diagrams_style_block_is_the_one_inline_style_the_policy_allows(session, login):
    petition = submit(session)
    page = login("auditor").get(f"/kiem-tra/{petition.instance_id}")
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", page.data.decode(), re.S)
    assert blocks, "the auditor's page embeds its diagram with a style block"
    for css in blocks:
        digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in directives(page)["style-src"]


def test_a_task_named_with_markup_is_shown_as_text_and_the_products_task_names_are_still_translated(session, login):
    item = item_for(session, submit(session), "classify")
    item.name = MARKUP_NAME  # what an uploaded model may name a task
    session.commit()
    submit(session)  # a second case: its task keeps the product's name
    intake = login("intake")
    intake.post("/ngon-ngu/en", data={"csrf_token": csrf_token(intake, "/cong-viec"), "next": "/cong-viec"})
    for path in ("/cong-viec", f"/cong-viec/{item.id}"):
        page = intake.get(path)
        assert page.status_code == 200
        assert ESCAPED_NAME in page.data.decode() and "<img src=x" not in page.data.decode()
    assert "Phân loại PAKN" not in intake.get("/cong-viec").data.decode()


def test_a_process_named_with_markup_is_shown_as_text_to_the_administrator(session, login):
    definition = session.scalars(select(ProcessDefinition)).first()
    definition.name = MARKUP_NAME
    session.commit()
    page = login("admin").get("/quan-tri/quy-trinh/").data.decode()
    assert ESCAPED_NAME in page and "<img src=x" not in page


def test_history_csv_cells_that_a_spreadsheet_would_run_are_neutralised(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    record(session, '=HYPERLINK("http://x")', "@SUM(A1)", instance_id=petition.instance_id, task_name="\t-1+2")
    session.commit()
    table = login("auditor").get(f"/kiem-tra/{petition.instance_id}/lich-su.csv")
    rows = list(csv.DictReader(io.StringIO(table.data.decode("utf-8-sig"))))
    forged = rows[-1]
    assert forged["actor"] == '\'=HYPERLINK("http://x")'
    assert forged["action"] == "'@SUM(A1)"
    assert forged["task"] == "'\t-1+2"
    assert rows[0]["actor"] == "citizen"  # ordinary cells unchanged


@pytest.mark.parametrize(
    "target",
    [None, "", "cong-viec", "//evil.example", "/\\evil.example", "/a\\b", "https://evil.example/",
     "/cong-viec\r\nSet-Cookie: a=b", "/cong-viec\n", "/a\x00b", "/a\tb", "\x01/x", " /cong-viec"],
)  # fmt: skip
def test_a_redirect_target_that_is_not_a_local_path_falls_back(target):
    from app.web.redirects import local_target  # noqa: PLC0415

    assert local_target(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", ["/", "/cong-viec", "/cong-khai?q=dat%20dai&page=2", "/tra-cuu/7QX4-M9PA-K2TD"])
def test_a_local_path_is_a_redirect_target(target):
    from app.web.redirects import local_target  # noqa: PLC0415

    assert local_target(target, "/fallback") == target


def test_claiming_with_a_next_that_splits_the_header_goes_back_to_the_inbox(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    token = csrf_token(intake, "/cong-viec")
    response = intake.post(
        f"/cong-viec/{item.id}/nhan", data={"csrf_token": token, "next": "/cong-viec\r\nSet-Cookie: a=b"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/cong-viec"


def test_switching_language_with_a_next_that_splits_the_header_goes_home(client):
    token = csrf_token(client, "/")
    response = client.post("/ngon-ngu/en", data={"csrf_token": token, "next": "/cong-khai\r\nSet-Cookie: a=b"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_logging_in_with_a_next_that_splits_the_header_goes_to_his_work(client):
    token = csrf_token(client)
    response = client.post(
        "/dang-nhap?next=%2Fcua-toi%0D%0ASet-Cookie%3A%20a%3Db",
        data={"username": "citizen", "password": "demo123", "csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/cua-toi"
