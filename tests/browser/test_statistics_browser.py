"""The public statistics page of a quarter (issue 17 point 6): its figures are those of the quarter's report; a
screenshot on a desk and on a phone is kept under test-artifacts/browser/. A leader downloads the archived report."""

from app.reports.archive import render_report
from app.reports.content import build_report
from app.reports.models import ArchivedReport
from app.reports.periods import parse_period

from ..report_cases import a_quarter_of_cases, at
from .conftest import DESK, PHONE, log_in

Q3 = parse_period("2026-Q3")


def test_the_statistics_page_of_a_quarter_shows_the_reports_figures(open_page, shots, sessions):
    with sessions() as session:
        a_quarter_of_cases(session)
        report = build_report(session, "quang-ngai", Q3)
        content = render_report(session, "quang-ngai", Q3, "pdf", at(2026, 10, 1, 7, 0))
        session.add(
            ArchivedReport(province_code="quang-ngai", period=Q3.code, format="pdf", content=content,
                           generated_at=at(2026, 10, 1, 7, 0))
        )  # fmt: skip
        session.commit()
    public = open_page(DESK)
    public.goto("/thong-ke?province=quang-ngai&from=2026-07-01&to=2026-09-30")
    for code in ("received", "in_scope", "rejected", "forwarded", "answered", "answered_share", "late", "hidden"):
        value = getattr(report.totals, code)
        shown = public.locator(f"#figure-{code} td").nth(1).inner_text().strip()
        assert shown == ("—" if value is None else str(value)), code
    assert public.locator("svg").count() >= 2
    shots(public, "thong-ke-quy-3")
    phone = open_page(PHONE)
    phone.goto("/thong-ke?province=quang-ngai&from=2026-07-01&to=2026-09-30")
    shots(phone, "thong-ke-dien-thoai")
    leader = open_page(DESK)
    log_in(leader, "leader")
    leader.get_by_role("link", name="Báo cáo định kỳ").first.click()
    leader.wait_for_load_state()
    assert "Quý 3/2026" in leader.locator("main").inner_text()
    shots(leader, "bao-cao")
    with leader.expect_download() as download:
        leader.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "bao-cao-quang-ngai-2026-Q3.pdf"
