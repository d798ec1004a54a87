"""Reading calendars/: layering of province files over the national calendar and policies, and problem reports.

Each test works on a copy of the real calendars/ in tmp_path. Files a test rewrites are written whole, so the
line numbers asserted are the lines of the text in the test.
"""

import shutil
from datetime import date, datetime
from pathlib import Path
from textwrap import dedent

import pytest

from app.calendars.book import CalendarBook
from app.calendars.files import STEPS, CalendarFilesInvalid, FileProblem, Period, load_files
from app.calendars.working_days import VIETNAM

SOURCE = Path(__file__).resolve().parent.parent / "calendars"
QUANG_NGAI = "calendars/provinces/quang-ngai.toml"
NATIONAL = "calendars/national.toml"
LAI_CHAU = "calendars/provinces/lai-chau.toml"
BAC_NINH = "calendars/provinces/bac-ninh.toml"
QD574 = "calendars/policies/qd574-2017.toml"


def vn(y, m, d, hh=17, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VIETNAM)


@pytest.fixture
def root(tmp_path) -> Path:
    shutil.copytree(SOURCE, tmp_path / "calendars")
    return tmp_path / "calendars"


def write(root: Path, name: str, text: str):
    """Rewrite calendars/<name>; `text` starts on line 1 (after dedent and dropping the first newline)."""
    (root.parent / name).write_text(dedent(text).lstrip("\n"), encoding="utf-8")


def province(code: str, policy: str, rest: str = "") -> str:
    """Lines 1–4 are the header; `rest` starts on line 5."""
    header = f'code = "{code}"\nname = "{code}"\ninherits = "national"\npolicy = "{policy}"\n'
    return header + dedent(rest).lstrip("\n")


def problems(root: Path) -> list[FileProblem]:
    with pytest.raises(CalendarFilesInvalid) as err:
        load_files(root)
    assert str(err.value) == "\n".join(str(p) for p in err.value.problems)
    return err.value.problems


# --- files that load ------------------------------------------------------------------------------------------


def test_real_files_load_without_problems(root):
    files = load_files(root)
    assert sorted(files.provinces) == ["bac-ninh", "lai-chau", "quang-ngai"]
    assert sorted(files.policies) == ["bac-ninh-17-2024", "qd31-2021", "qd574-2017"]
    for policy in files.policies.values():
        assert set(policy.steps) == set(STEPS), policy.code
    assert {(e.day, e.off) for e in files.national.entries} >= {(date(2026, 1, 2), True), (date(2026, 1, 10), False)}
    assert all(e.basis and e.source == "calendars/national.toml" for e in files.national.entries)
    book = CalendarBook(files)
    assert {s: (p.days, p.unit) for s, p in book.periods("bac-ninh").items()} == {
        "reject": (2, "working"),
        "request_info": (5, "working"),
        "forward": (0, "working"),
        "answer": (7, "calendar"),
        "co_opinion": (2, "working"),
        "progress": (7, "calendar"),
        "review": (2, "working"),
        "publish": (2, "working"),
        "info_reply": (10, "working"),
        "monthly_review": (5, "working"),
        "clarification": (3, "working"),
    }
    assert {s: (p.days, p.unit) for s, p in book.periods("lai-chau").items()} == {
        "reject": (2, "working"),
        "request_info": (5, "working"),
        "forward": (5, "working"),
        "answer": (20, "working"),
        "co_opinion": (5, "working"),
        "progress": (7, "calendar"),
        "review": (2, "working"),
        "publish": (2, "working"),
        "info_reply": (10, "working"),
        "monthly_review": (5, "working"),
        "clarification": (5, "working"),
    }
    assert book.period("quang-ngai", "answer").remind_before == 2


def test_province_day_off_is_off_only_in_that_province(root):
    write(
        root,
        QUANG_NGAI,
        province(
            "quang-ngai",
            "qd31-2021",
            """
            [[days_off]]
            date = 2026-03-10
            name = "Lễ hội địa phương"
            basis = "Quyết định số 12/QĐ-UBND tỉnh Quảng Ngãi"

            [[days_off]]
            date = 2026-01-10
            name = "Không làm bù"
            basis = "Quyết định số 13/QĐ-UBND tỉnh Quảng Ngãi"
            """,
        ),
    )
    book = CalendarBook(load_files(root))
    local_day_off, national_worked_saturday = date(2026, 3, 10), date(2026, 1, 10)
    assert not book.calendar("quang-ngai").is_working_day(local_day_off)
    assert not book.calendar("quang-ngai").is_working_day(national_worked_saturday)  # the province file wins
    for other in ("lai-chau", "bac-ninh", None):
        assert book.calendar(other).is_working_day(local_day_off), other
        assert book.calendar(other).is_working_day(national_worked_saturday), other
    entry = book.entries("quang-ngai")[local_day_off]
    assert (entry.off, entry.basis, entry.source) == (True, "Quyết định số 12/QĐ-UBND tỉnh Quảng Ngãi", QUANG_NGAI)
    # reject = 2 WD from Mon 9 Mar: Quảng Ngãi skips Tue 10 → Wed 11 (1), Thu 12 (2); Lai Châu: Tue 10, Wed 11.
    assert book.due("quang-ngai", "reject", vn(2026, 3, 9, 10)) == vn(2026, 3, 12)
    assert book.due("lai-chau", "reject", vn(2026, 3, 9, 10)) == vn(2026, 3, 11)


def test_province_working_day_makes_a_saturday_worked(root):
    write(
        root,
        LAI_CHAU,
        province(
            "lai-chau",
            "qd574-2017",
            """
            [[working_days]]
            date = 2026-03-14
            name = "Làm bù"
            basis = "Quyết định số 20/QĐ-UBND tỉnh Lai Châu"

            [[working_days]]
            date = 2026-11-24
            name = "Làm việc ngày Văn hóa"
            basis = "Quyết định số 21/QĐ-UBND tỉnh Lai Châu"
            """,
        ),
    )
    book = CalendarBook(load_files(root))
    saturday, national_holiday = date(2026, 3, 14), date(2026, 11, 24)
    assert book.calendar("lai-chau").is_working_day(saturday)
    assert book.calendar("lai-chau").is_working_day(national_holiday)
    assert not book.calendar("quang-ngai").is_working_day(saturday)
    assert not book.calendar("quang-ngai").is_working_day(national_holiday)
    # reject = 2 WD from Thu 12 Mar: Lai Châu Fri 13 (1), Sat 14 (2); Quảng Ngãi Fri 13 (1), Mon 16 (2).
    assert book.due("lai-chau", "reject", vn(2026, 3, 12, 10)) == vn(2026, 3, 14)
    assert book.due("quang-ngai", "reject", vn(2026, 3, 12, 10)) == vn(2026, 3, 16)


def test_province_deadlines_override_the_policy(root):
    write(
        root,
        QUANG_NGAI,
        province(
            "quang-ngai",
            "qd31-2021",
            """
            [deadlines.answer]
            days = 10
            unit = "calendar"
            remind_before = 3
            basis = "Quyết định số 30/QĐ-UBND tỉnh Quảng Ngãi"
            """,
        ),
    )
    book = CalendarBook(load_files(root))
    assert book.periods("quang-ngai")["answer"] == Period(10, "calendar", "Quyết định số 30/QĐ-UBND tỉnh Quảng Ngãi", 3)
    assert book.periods("quang-ngai")["reject"].days == 2  # other steps still come from the policy
    assert book.files.policies["qd31-2021"].steps["answer"].days == 15  # the policy itself is unchanged
    # 10 calendar days from Mon 9 Mar 2026 → Thu 19 Mar, a working day (15 WD would have been Mon 30 Mar).
    assert book.due("quang-ngai", "answer", vn(2026, 3, 9, 10)) == vn(2026, 3, 19)
    # Reminder 3 WD before Thu 19 Mar: Wed 18 (1), Tue 17 (2), Mon 16 (3).
    assert book.reminder("quang-ngai", "answer", vn(2026, 3, 19)) == vn(2026, 3, 16, 7, 30)


# --- problems -------------------------------------------------------------------------------------------------


def test_toml_syntax_error_names_file_and_line(root):
    write(
        root,
        LAI_CHAU,
        """
        code = "lai-chau"
        name = "Lai Châu
        inherits = "national"
        policy = "qd574-2017"
        """,
    )
    [problem] = problems(root)
    assert (problem.file, problem.key, problem.line) == (LAI_CHAU, "", 2)
    assert problem.message.startswith("not valid TOML: ")
    assert "line 2" in problem.message
    assert str(problem).startswith(f"{LAI_CHAU}:2: not valid TOML: ")


def test_toml_error_at_end_of_document_names_a_line(root):
    write(root, LAI_CHAU, 'code = "lai-chau"\nname = [\n')
    [problem] = problems(root)
    assert (problem.file, problem.key) == (LAI_CHAU, "")
    assert problem.line == 2


def test_missing_or_empty_basis_names_the_entry_and_its_line(root):
    write(
        root,
        QUANG_NGAI,
        province(
            "quang-ngai",
            "qd31-2021",
            """
            [[days_off]]
            date = 2026-06-01
            name = "Có căn cứ"
            basis = "Quyết định số 1/QĐ-UBND"

            [[days_off]]
            date = 2026-06-02
            name = "Thiếu căn cứ"

            [[working_days]]
            date = 2026-06-06
            name = "Căn cứ rỗng"
            basis = "  "
            """,
        ),
    )
    assert problems(root) == [
        # No `basis` line to point at: the line of the entry's [[days_off]] header (the second one, line 10).
        FileProblem(QUANG_NGAI, "days_off[1].basis", 10, "is required"),
        FileProblem(QUANG_NGAI, "working_days[0].basis", 17, "must name the legal basis (it is empty)"),
    ]
    assert str(problems(root)[0]) == f"{QUANG_NGAI}:10: days_off[1].basis: is required"


def test_date_given_twice(root):
    write(
        root,
        QUANG_NGAI,
        province(
            "quang-ngai",
            "qd31-2021",
            """
            [[days_off]]
            date = 2026-06-01
            name = "Lần đầu"
            basis = "Quyết định số 1/QĐ-UBND"

            [[working_days]]
            date = 2026-06-01
            name = "Vừa nghỉ vừa làm"
            basis = "Quyết định số 2/QĐ-UBND"

            [[days_off]]
            date = 2026-06-01
            name = "Lần hai"
            basis = "Quyết định số 3/QĐ-UBND"
            """,
        ),
    )
    assert problems(root) == [
        FileProblem(QUANG_NGAI, "days_off[1].date", 16, "2026-06-01 is already listed at line 6"),
        FileProblem(QUANG_NGAI, "working_days[0].date", 11, "2026-06-01 is already listed at line 6"),
    ]


def test_bad_entries_name_the_key(root):
    write(
        root,
        QUANG_NGAI,
        """
        code = "kontum"
        name = "Quảng Ngãi"
        inherits = "national"
        policy = "qd31-2021"

        [[days_off]]
        date = 2026-06-01T08:00:00
        name = "Có giờ"
        basis = "Quyết định số 1/QĐ-UBND"
        reason = "không có khóa này"
        """,
    )
    assert problems(root) == [
        FileProblem(QUANG_NGAI, "code", 1, "must match the file name ('quang-ngai')"),
        FileProblem(QUANG_NGAI, "days_off[0].reason", 10, "is not a known key (date, name, basis)"),
        FileProblem(QUANG_NGAI, "days_off[0].date", 7, "must be a date like 2026-01-02 (no time)"),
    ]


def test_bad_unit_in_province_and_policy(root):
    write(
        root,
        LAI_CHAU,
        province(
            "lai-chau",
            "qd574-2017",
            """
            [deadlines.answer]
            days = 20
            unit = "weeks"
            """,
        ),
    )
    write(
        root,
        QD574,
        """
        code = "qd574-2017"
        name = "QĐ 574"
        basis = "Quyết định số 574/QĐ-TTg"
        inherits = "qd31-2021"

        [steps.answer]
        days = 20
        unit = "working"

        [steps.progress]
        days = 7
        unit = "days"
        """,
    )
    assert problems(root) == [
        FileProblem(LAI_CHAU, "deadlines.answer.unit", 7, "must be one of working, calendar, not 'weeks'"),
        FileProblem(QD574, "steps.progress.unit", 12, "must be one of working, calendar, not 'days'"),
    ]


def test_unknown_step(root):
    write(
        root,
        BAC_NINH,
        province(
            "bac-ninh",
            "bac-ninh-17-2024",
            """
            [deadlines.answer]
            days = 5

            [deadlines.reply]
            days = 5
            unit = "working"
            """,
        ),
    )
    steps = ", ".join(STEPS)
    assert problems(root) == [FileProblem(BAC_NINH, "deadlines.reply", 8, f"is not a step; steps are {steps}")]


def test_province_naming_an_unknown_policy(root):
    write(root, BAC_NINH, province("bac-ninh", "bac-ninh-2024"))
    assert problems(root) == [
        FileProblem(BAC_NINH, "policy", 4, "no policy 'bac-ninh-2024' (bac-ninh-17-2024, qd31-2021, qd574-2017)")
    ]


def test_the_national_calendar_names_the_policy_of_provinces_without_a_file(root):
    assert load_files(root).national.policy == "qd31-2021"
    path = root / "national.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines.index('policy = "qd31-2021"\n')
    path.write_text("".join([*lines[:line], 'policy = "qd31-2020"\n', *lines[line + 1 :]]), encoding="utf-8")
    assert problems(root) == [
        FileProblem(NATIONAL, "policy", line + 1, "no policy 'qd31-2020' (bac-ninh-17-2024, qd31-2021, qd574-2017)")
    ]
    path.write_text("".join([*lines[:line], *lines[line + 1 :]]), encoding="utf-8")
    assert problems(root) == [FileProblem(NATIONAL, "policy", None, "is required")]


def test_policy_inheriting_an_unknown_policy(root):
    write(
        root,
        "calendars/policies/quang-ngai-2025.toml",
        """
        code = "quang-ngai-2025"
        name = "Quảng Ngãi 2025"
        basis = "Quyết định số 5/QĐ-UBND"
        inherits = "qd31-2020"

        [steps.answer]
        days = 10
        """,
    )
    assert problems(root) == [
        FileProblem("calendars/policies/quang-ngai-2025.toml", "inherits", 4, "no policy 'qd31-2020'")
    ]


NO_INHERITANCE_ONE_STEP = """
    code = "short"
    name = "Thiếu bước"
    basis = "Quyết định số 6/QĐ-UBND"

    [steps.answer]
    days = 10
    """


def test_policy_lacking_steps(root):
    write(root, "calendars/policies/short.toml", NO_INHERITANCE_ONE_STEP)
    [problem] = problems(root)
    assert (problem.file, problem.key, problem.message) == (
        "calendars/policies/short.toml",
        "steps",
        "no period for " + ", ".join(s for s in STEPS if s != "answer"),
    )


def test_policy_lacking_steps_names_a_line(root):
    write(root, "calendars/policies/short.toml", NO_INHERITANCE_ONE_STEP)
    [problem] = problems(root)
    text = (root / "policies" / "short.toml").read_text(encoding="utf-8")
    first_steps_table = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("[steps."))
    assert problem.line == first_steps_table


def test_policies_inheriting_in_a_circle(root):
    path = root / "policies" / "qd31-2021.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines[:4], 'inherits = "qd574-2017"\n', *lines[4:]]), encoding="utf-8")
    circles = [p for p in problems(root) if p.key == "inherits" and "circle" in p.message]
    # Bắc Ninh's policy inherits into the circle too; each names its own `inherits` line.
    assert {(p.file, p.line) for p in circles} == {
        ("calendars/policies/qd31-2021.toml", 5),
        (QD574, 6),
        ("calendars/policies/bac-ninh-17-2024.toml", 6),
    }


def test_several_problems_are_reported_together(root):
    write(root, LAI_CHAU, 'code = "lai-chau"\nname = \ninherits = "national"\n')  # TOML error on line 2
    write(
        root,
        QUANG_NGAI,
        province(
            "quang-ngai",
            "qd31-2021",
            """
            [[days_off]]
            date = 2026-06-01
            name = "Thiếu căn cứ"
            """,
        ),
    )
    write(root, BAC_NINH, province("bac-ninh", "bac-ninh-2024"))
    write(
        root,
        QD574,
        """
        code = "qd574-2017"
        name = "QĐ 574"
        basis = "Quyết định số 574/QĐ-TTg"
        inherits = "qd31-2021"

        [steps.answer]
        days = -1
        """,
    )
    found = problems(root)
    assert sorted((p.file, p.key, p.line) for p in found) == [
        (QD574, "steps.answer.days", 7),
        (BAC_NINH, "policy", 4),
        (LAI_CHAU, "", 2),
        (QUANG_NGAI, "days_off[0].basis", 5),
    ]
    assert [p.message for p in found if p.file == QD574] == ["must be 0 or more"]
