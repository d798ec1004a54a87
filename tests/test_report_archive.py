"""The archive of periodic reports (issue 17 point 4): the scheduler archives the last month's, quarter's and
year's reports of each province and of the country from the first working day after the period, once even when run
twice; leaders and the intake office download their province's, auditors every one; others are refused and the
refusal audited; every download is audited and saved under a safe name."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.reports.archive import archive_due_reports
from app.reports.models import ArchivedReport

from .report_cases import a_quarter_of_cases, at


def archived(session) -> set[tuple[str, str, str]]:
    return set(session.execute(select(ArchivedReport.province_code, ArchivedReport.period, ArchivedReport.format)))


def test_the_first_working_day_after_a_period_archives_its_reports_once(session):
    a_quarter_of_cases(session)
    assert archive_due_reports(session, at(2026, 10, 1, 7, 0), "worker-a") > 0  # Thu 1 Oct: a working day
    first = archived(session)
    places = {place for place, _, _ in first}
    assert {"toan-quoc", "quang-ngai", "lai-chau"} <= places
    periods = ("2026-09", "2026-Q3", "2025")
    assert first == {(p, period, f) for p in places for period in periods for f in ("xlsx", "pdf")}
    assert archive_due_reports(session, at(2026, 10, 1, 7, 10), "worker-b") == 0  # run again: nothing more
    assert archived(session) == first
    entries = session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "report.archived"))
    assert entries == len(first)
    row = session.scalar(
        select(ArchivedReport).where(ArchivedReport.province_code == "quang-ngai", ArchivedReport.period == "2026-Q3",
                                     ArchivedReport.format == "xlsx")
    )  # fmt: skip
    assert row.generated_by == "worker-a"
    sheet = load_workbook(io.BytesIO(row.content)).active
    assert sheet["B1"].value is None and sheet["A2"].value == "Quảng Ngãi — Quý 3/2026"
    # New Year's Day 2027 is a Friday off: the year's reports wait for Monday 4 January
    assert archive_due_reports(session, at(2027, 1, 2, 9, 0)) == 0
    assert archive_due_reports(session, at(2027, 1, 4, 8, 0)) == len(places) * 3 * 2
    assert {period for _, period, _ in archived(session)} == {*periods, "2026-12", "2026-Q4", "2026"}
