"""Periodic reports (issue 17 point 4): the Excel read back cell by cell against app/statistics/figures.py and the
hand count of a quarter (hidden, transferred, escalated and late cases included); the PDF read back, its
Vietnamese text found and its font embedded; the command writes the file; a bad period is named."""

import io
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.config import ROOT
from app.reports.archive import render_report
from app.reports.content import build_report
from app.reports.periods import PeriodInvalid, last_periods, parse_period
from app.statistics.figures import Slice, figures

from .report_cases import a_quarter_of_cases, at

NOW = at(2026, 10, 20, 9, 0)


def test_periods_are_months_quarters_and_years():
    assert (parse_period("2026-09").period.start.isoformat(), parse_period("2026-09").period.end.day) == (
        "2026-09-01",
        30,
    )
    q3 = parse_period("2026-q3")
    assert (q3.code, q3.kind, q3.period.start.month) == ("2026-Q3", "quarter", 7)
    assert q3.period.end.isoformat() == "2026-09-30"
    assert (parse_period("2026").period.end.isoformat(), parse_period("2026").label) == ("2026-12-31", "Năm 2026")
    assert parse_period("2026-Q3").label == "Quý 3/2026" and parse_period("2026-02").period.end.day == 28
    assert [p.code for p in last_periods(at(2026, 10, 1).date())] == ["2026-09", "2026-Q3", "2025"]
    assert [p.code for p in last_periods(at(2027, 1, 4).date())] == ["2026-12", "2026-Q4", "2026"]
    for bad in ("2026-13", "2026-Q5", "26-09", "2026/09", "", "Q3-2026"):
        with pytest.raises(PeriodInvalid) as refused:
            parse_period(bad)
        assert "2026-Q3 (quý)" in str(refused.value)


def sheet_rows(content: bytes) -> list[tuple]:
    return [tuple(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def section(rows, heading) -> dict:
    """The rows under a table's heading (after its column titles), up to the next blank row, by first cell."""
    start = next(n for n, row in enumerate(rows) if row[0] == heading) + 2
    found = {}
    for row in rows[start:]:
        if row[0] is None:
            break
        cells = list(row[1:])
        while cells and cells[-1] is None:
            cells.pop()
        found[row[0]] = tuple(cells)
    return found


def test_the_excel_report_of_a_province_is_the_figures_and_the_hand_count(session):
    a_quarter_of_cases(session)
    for code in ("2026-09", "2026-Q3"):
        period = parse_period(code)
        rows = sheet_rows(render_report(session, "quang-ngai", period, "xlsx", NOW))
        assert rows[0][0] == "Báo cáo tình hình tiếp nhận, xử lý phản ánh, kiến nghị"
        assert rows[1][0] == f"Quảng Ngãi — {period.label}"
        got = figures(session, period.period, Slice(province="quang-ngai"), NOW)
        totals = section(rows, "I. Số liệu tổng hợp")
        for _code, value, definition in got.items():
            assert (totals[str(definition)] or (None,))[0] == value, definition  # an empty cell: no value
        # by hand: 7 received on 7 Sep, 1 rejected; the waiting one; 5 forwarded (on time, hidden, transferred,
        # escalated, late), 2 answered = 40 %, one of them late; the hidden one counted
        hand = {"received": 7, "rejected": 1, "in_scope": 6, "awaiting_info": 1, "forwarded": 5, "answered": 2,
                "answered_share": 40.0, "published": 2, "on_time": 1, "late": 1, "hidden": 1}  # fmt: skip
        assert {code: getattr(got, code) for code in hand} == hand
        assert section(rows, "II. PAKN thuộc phạm vi theo loại") == {
            "Phản ánh, kiến nghị về quy định hành chính": (5, 83.33),
            "Đề xuất sáng kiến, giải pháp": (1, 16.67),  # the escalated case
        }
        assert section(rows, "III. PAKN thuộc phạm vi theo lĩnh vực") == {
            "Xây dựng, đô thị": (5, 83.33),
            "Đất đai": (1, 16.67),  # the transferred case
        }
        overdue = section(rows, "IV. Công việc quá hạn theo cơ quan chủ trì (tính đến lúc lập báo cáo)")
        for agency in ("QNG-SXD", "QNG-SNNMT"):  # the hidden case's answer, the transferred case's at its new agency
            slice_ = Slice(province="quang-ngai", agency=agency)
            assert figures(session, period.period, slice_, NOW).overdue_now == 1
        assert overdue == {
            "Sở Xây dựng tỉnh Quảng Ngãi": (1,),
            "Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi": (1,),
            "Chưa chuyển cơ quan giải quyết (bộ phận đầu mối)": (2,),  # the reply awaited, 1 Oct's classification
        }
        assert sum(n for (n,) in overdue.values()) == got.overdue_now
    assert any("Đã xem xét, trả lời 2/5 PAKN, chiếm 40%." == row[0] for row in rows)


def test_the_national_report_adds_the_other_provinces(session):
    a_quarter_of_cases(session)
    period = parse_period("2026-Q3")
    rows = sheet_rows(render_report(session, None, period, "xlsx", NOW))
    assert rows[1][0] == "Cả nước — Quý 3/2026"
    totals = section(rows, "I. Số liệu tổng hợp")
    got = figures(session, period.period, Slice(), NOW)
    assert got.received == 8 and got.in_scope == 7  # Lai Châu's letter
    assert totals["PAKN tiếp nhận trong kỳ (theo ngày giờ Việt Nam)."] == (8,)
    assert section(rows, "III. PAKN thuộc phạm vi theo lĩnh vực")["Xây dựng, đô thị"] == (6, 85.71)
    empty = build_report(session, "quang-ngai", parse_period("2026-Q2"), NOW)
    assert empty.totals.received == 0 and empty.kinds == [] and empty.fields == []


def pdf_text(content: bytes) -> tuple[str, set[str]]:
    """The text of every page, and the names of the fonts embedded (a FontFile2: a TrueType font in the file)."""
    reader = PdfReader(io.BytesIO(content))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/FontFile2" in descriptor:
                embedded.add(str(descriptor["/FontName"]))
    return "\n".join(page.extract_text() for page in reader.pages), embedded


def test_the_pdf_report_reads_back_in_vietnamese_with_its_font_embedded(session):
    a_quarter_of_cases(session)
    content = render_report(session, "quang-ngai", parse_period("2026-Q3"), "pdf", NOW)
    assert content.startswith(b"%PDF-")
    text, fonts = pdf_text(content)
    for phrase in (
        "Báo cáo tình hình tiếp nhận, xử lý phản ánh, kiến nghị",
        "Quảng Ngãi — Quý 3/2026",
        "Tiếp nhận 7 PAKN, trong đó 6 PAKN thuộc phạm vi xem xét, xử lý.",
        "Đã xem xét, trả lời 2/5 PAKN, chiếm 40%.",
        "Đề xuất sáng kiến, giải pháp",
        "Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi",
        "83,33",
    ):
        assert phrase in text.replace("\n", " "), phrase
    assert fonts and all(name.endswith("DejaVuSans") or "DejaVuSans" in name for name in fonts)


def run(*args, env):
    return subprocess.run(
        [sys.executable, "run.py", *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env},
        timeout=300,
    )  # fmt: skip


def test_the_command_writes_the_report_and_names_a_bad_period(session, db_url, tmp_path):
    a_quarter_of_cases(session)
    env = {"DATABASE_URL": db_url}
    out = tmp_path / "q3.xlsx"
    done = run("report", "--province", "quang-ngai", "--period", "2026-Q3", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    rows = sheet_rows(out.read_bytes())
    assert rows[1][0] == "Quảng Ngãi — Quý 3/2026"
    assert section(rows, "I. Số liệu tổng hợp")["Đã chuyển cơ quan giải quyết (kể cả bộ phận đầu mối tự giải quyết)."]
    pdf = tmp_path / "nation.pdf"
    done = run("report", "--national", "--period", "2026-09", "--format", "pdf", "--out", str(pdf), env=env)
    assert done.returncode == 0, done.stderr
    assert "Cả nước — Tháng 09/2026" in pdf_text(pdf.read_bytes())[0]
    bad = run("report", "--period", "2026-Q5", env=env)
    assert bad.returncode == 1 and "--period: Kỳ báo cáo «2026-Q5» không hợp lệ" in bad.stderr
    nowhere = run("report", "--province", "atlantis", "--period", "2026", env=env)
    assert nowhere.returncode == 1 and "atlantis" in nowhere.stderr
