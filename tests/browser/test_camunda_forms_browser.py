"""Camunda Forms in a real browser: conditions re-evaluated as the user types, input never lost, rows laid out."""

from pathlib import Path

import pytest
from markupsafe import Markup

from app.camunda_forms import FormRegistry, render
from app.config import ROOT

from .conftest import DESK, PHONE

FORMS = Path(__file__).resolve().parent.parent / "fixtures" / "forms"
STATIC = ROOT / "app" / "web" / "static"


@pytest.fixture(scope="module")
def registry():
    return FormRegistry.from_directory(FORMS)


def open_form(chromium, html: Markup, viewport=DESK):
    """A page holding the rendered fields inside a <form>, with the product's CSS and camunda-forms.js."""
    css = (STATIC / "app.css").read_text(encoding="utf-8") + (STATIC / "camunda-forms.css").read_text(encoding="utf-8")
    js = (STATIC / "camunda-forms.js").read_text(encoding="utf-8")
    page = chromium.new_page(viewport=viewport)
    page.set_content(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head>"
        f"<body><main><form id='task' method='post'>{html}<button>Hoàn thành</button></form></main>"
        f"<script>{js}</script></body></html>"
    )
    return page


def shown(page, key: str) -> bool:
    return page.locator(f'[data-cf-key="{key}"]').is_visible()


def test_conditions_follow_the_input_and_hidden_input_is_kept(chromium, registry):
    page = open_form(chromium, render(registry.by_id("classify-conditional"), {"priority": 5}))
    try:
        assert not shown(page, "reason") and not shown(page, "lead_agency")
        page.check('input[name="decision"][value="reject"]')
        assert shown(page, "reason") and not shown(page, "lead_agency")
        page.fill("#cf-reason", "Nội dung trùng với PAKN đã trả lời")
        assert page.eval_on_selector("#cf-reason", "e => e.required")
        page.check('input[name="decision"][value="forward"]')
        assert not shown(page, "reason") and shown(page, "lead_agency")
        # Out of sight, not cleared; its `required` parked so that it cannot block the submission.
        assert page.input_value("#cf-reason") == "Nội dung trùng với PAKN đã trả lời"
        assert not page.eval_on_selector("#cf-reason", "e => e.required")
        assert not shown(page, "forward_note")
        page.select_option("#cf-lead_agency", "KT-SXD")
        assert shown(page, "forward_note")  # is defined(lead_agency) = false no longer holds
        page.check('input[name="decision"][value="reject"]')
        assert shown(page, "reason") and page.input_value("#cf-reason") == "Nội dung trùng với PAKN đã trả lời"
        assert page.eval_on_selector("#cf-reason", "e => e.required")
        # The group hides again: its select keeps its value, but later conditions no longer see it.
        assert page.input_value("#cf-lead_agency") == "KT-SXD" and not shown(page, "forward_note")
        assert page.eval_on_selector("#task", "f => f.checkValidity()")
    finally:
        page.close()


def test_conditions_read_the_task_data_sent_with_the_page(chromium, registry):
    form = registry.by_id("classify-conditional")
    low = open_form(chromium, render(form, {"priority": 1}))
    unknown = open_form(chromium, render(form, {}))
    try:
        low.check('input[name="decision"][value="reject"]')
        unknown.check('input[name="decision"][value="reject"]')
        assert not shown(low, "urgent")  # priority < 3
        assert shown(unknown, "urgent")  # null < 3 is null: not hidden
    finally:
        low.close()
        unknown.close()


@pytest.mark.parametrize(("viewport", "side_by_side"), [(DESK, True), (PHONE, False)])
def test_rows_and_columns_on_a_desk_and_on_a_phone(chromium, registry, viewport, side_by_side):
    page = open_form(chromium, render(registry.by_id("all-components"), {}), viewport)
    try:
        reason, email = page.locator("#cf-reason").bounding_box(), page.locator("#cf-email").bounding_box()
        assert (abs(reason["y"] - email["y"]) < 2) is side_by_side
        if side_by_side:
            assert email["x"] > reason["x"] + reason["width"]
            assert reason["width"] > email["width"]  # 10 of 16 columns against 6
    finally:
        page.close()
