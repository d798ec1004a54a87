"""The Content-Security-Policy in a real browser: a script slipped into a page does not run, and the product's own
pages (the auditor's diagram, a task's Camunda Form) work under it without a single violation."""

from ..conftest import submit
from .conftest import DESK, log_in

INJECTED = (
    "<script>document.title = 'injected script ran'</script>"
    "<img src='/khong-co' onerror=\"document.title = 'injected handler ran'\">"
)


def violations(page) -> list[str]:
    """The console's reports of what the policy refused, filled as the page runs."""
    found = []
    page.on("console", lambda message: "Content Security Policy" in message.text and found.append(message.text))
    return found


def test_an_inline_script_slipped_into_a_page_does_not_run(open_page, shots):
    page = open_page(DESK)

    def inject(route):
        response = route.fetch()  # the real page with its real headers; only the body gets the injection
        route.fulfill(response=response, body=response.text().replace("</main>", INJECTED + "</main>"))

    page.route("**/cong-khai", inject)
    page.goto("/cong-khai")
    page.wait_for_timeout(300)
    assert "injected" not in page.title()
    shots(page, "published-with-injection")


def test_the_auditors_diagram_is_styled_under_the_policy_without_violations(open_page, session, shots):
    petition = submit(session)
    page = open_page(DESK)
    refused = violations(page)
    log_in(page, "auditor")
    response = page.goto(f"/kiem-tra/{petition.instance_id}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    active = page.locator("svg.bpmn-diagram .state-active .bpmn-body").first
    assert active.evaluate("e => getComputedStyle(e).stroke") == "rgb(21, 101, 192)"  # the diagram's own CSS
    shots(page, "diagram")
    assert refused == []


def test_a_task_form_script_runs_under_the_policy_without_violations(open_page, session, shots):
    submit(session)
    page = open_page(DESK)
    refused = violations(page)
    log_in(page, "intake")
    page.goto("/cong-viec")
    response = page.goto(page.locator("table a", has_text="Phân loại PAKN").first.get_attribute("href"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    reason = page.locator('[data-cf-key="reason"]')
    page.check('input[name="decision"][value="reject"]')
    assert reason.is_visible()  # camunda-forms.js re-evaluated the condition
    page.check('input[name="decision"][value="forward"]')
    assert not reason.is_visible()
    shots(page, "task-form")
    assert refused == []
