"""What `calendars/` holds once read (files.py reads it): days, periods, province calendars, deadline policies."""

from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo

STEPS = (
    "reject",
    "request_info",
    "forward",
    "answer",
    "co_opinion",
    "progress",
    "review",
    "publish",
    "info_reply",
    "monthly_review",
    "clarification",
)
UNITS = ("working", "calendar")


@dataclass(frozen=True)
class FileProblem:
    file: str
    key: str
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class CalendarFilesInvalid(ValueError):
    """One or more calendar files are wrong; `problems` lists each with file, key and line."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class DayEntry:
    """A dated override: the day is off (`off`) or worked, why, and where it was declared."""

    day: date
    off: bool
    name: str
    basis: str
    source: str


@dataclass(frozen=True)
class Period:
    days: int
    unit: str = "working"
    basis: str = ""
    remind_before: int = 1  # working days before the due day that a reminder goes out


@dataclass(frozen=True)
class NationalSpec:
    name: str
    policy: str  # the policy of a province without a file of its own
    time_zone: ZoneInfo
    weekend: frozenset[int]
    office_open: time
    office_close: time
    holiday_years: tuple[int, int]
    holidays_basis: str
    entries: tuple[DayEntry, ...]


@dataclass(frozen=True)
class ProvinceSpec:
    code: str
    name: str
    policy: str
    entries: tuple[DayEntry, ...]
    deadlines: dict[str, Period] = field(default_factory=dict)
    office_open: time | None = None
    office_close: time | None = None


@dataclass(frozen=True)
class PolicySpec:
    code: str
    name: str
    basis: str
    inherits: str | None
    steps: dict[str, Period]
    # May the handling agency ask the sender for more information (its answer clock paused until the reply)?
    # (allowed, legal basis); None: as the inherited policy says (and no when none does).
    agency_info_request: tuple[bool, str] | None = None


@dataclass(frozen=True)
class CalendarFiles:
    national: NationalSpec
    provinces: dict[str, ProvinceSpec]
    policies: dict[str, PolicySpec]  # with inherited steps resolved
