"""Pages in English name what data and models carry in English too: fields (lĩnh vực) in every select."""

import re

from .conftest import item_for, submit
from .web import csrf_token


def in_english(browser, path: str) -> str:
    """Switch the browser to English (as the language menu does) and read `path`."""
    browser.post("/ngon-ngu/en", data={"csrf_token": csrf_token(browser, path), "next": path})
    response = browser.get(path)
    assert response.status_code == 200, path
    return response.data.decode()


def select_options(page: str, attribute: str) -> str:
    """The options of the <select> that has this attribute (id="…" or name="…")."""
    match = re.search(rf"<select[^>]*\b{attribute}[^>]*>(.*?)</select>", page, re.S)
    assert match, f"no select with {attribute}"
    return match.group(1)


def test_the_field_selects_of_the_portal_and_the_correction_form_name_fields_in_english(session, client, login):
    submit_page = in_english(client, "/gui-phan-anh")
    published = in_english(client, "/cong-khai")
    task = in_english(login("intake"), f"/cong-viec/{item_for(session, submit(session), 'classify').id}")
    for options in (
        select_options(submit_page, 'name="field_code"'),
        select_options(published, 'name="field"'),
        select_options(task, 'id="correct-field"'),
    ):
        assert '<option value="giao-thong"' in options
        assert "Transport" in options and "Giao thông vận tải" not in options
