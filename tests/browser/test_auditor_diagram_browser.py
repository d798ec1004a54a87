"""The auditor's diagram in a real browser: a case opened from the search shows its current step in view, the
diagram's frame scrolled sideways to it (a #fragment and the diagram's scroll margin; no script)."""

from ..conftest import act, submit
from .conftest import PHONE, log_in


def test_a_case_opened_from_the_search_shows_its_current_step_on_the_diagram(open_page, session, shots):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    page = open_page(PHONE)  # far narrower than the diagram
    log_in(page, "auditor")
    page.goto(f"/kiem-tra/?code={petition.tracking_code}")
    page.get_by_role("link", name=petition.tracking_code).click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)  # the scroll to the fragment follows the load
    step = page.locator("#buoc-hien-tai").bounding_box()
    view = page.viewport_size
    assert 0 <= step["x"] and step["x"] + step["width"] <= view["width"], step
    assert 0 <= step["y"] and step["y"] + step["height"] <= view["height"], step
    assert page.locator(".svg-scroll").first.evaluate("box => box.scrollLeft") > 0
    shots(page, "current-step-in-view")
