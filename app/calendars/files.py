"""Reading `calendars/`: the national calendar, province calendars and deadline policies (TOML).

Every problem names the file, the key and the line, and all problems of all files are reported at once.
"""

import re
import tomllib
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# the specs are importable from here as before
from .file_specs import (  # noqa: F401
    STEPS,
    UNITS,
    CalendarFiles,
    CalendarFilesInvalid,
    DayEntry,
    FileProblem,
    NationalSpec,
    Period,
    PolicySpec,
    ProvinceSpec,
)
from .working_days import WEEKDAYS


class _Reader:
    """Typed access to one parsed file that collects problems instead of stopping at the first."""

    def __init__(self, path: Path, root: Path):
        self.path, self.name = path, str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        self.text = path.read_text(encoding="utf-8")
        self.problems: list[FileProblem] = []
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as err:
            line = re.search(r"line (\d+)", str(err))
            last = max(1, len(self.text.splitlines()))  # "at end of document": the last line
            self.problem((), f"not valid TOML: {err}", int(line.group(1)) if line else last)
            self.data = None

    def problem(self, path: tuple, message: str, line: int | None = None):
        key = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
        self.problems.append(FileProblem(self.name, key, line or _line_of(self.text, path), message))

    def get(self, table: dict, path: tuple, kind, required=True, default=None):
        value = table.get(path[-1], None)
        if value is None:
            if required:
                self.problem(path, "is required")
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.problem(path, f"must be a {names}, not {type(value).__name__}")
            return default
        return value

    def clock(self, table: dict, path: tuple, default: time | None) -> time | None:
        value = self.get(table, path, (str, time), required=False)
        if value is None:
            return default
        if isinstance(value, time):
            return value
        try:
            return time.fromisoformat(value)
        except ValueError:
            self.problem(path, f"must be a time of day like 17:00, not {value!r}")
            return default

    def entries(self, table: dict, source: str, path: tuple = ()) -> tuple[DayEntry, ...]:
        found: dict[date, tuple] = {}
        result = []
        for array, off in (("days_off", True), ("working_days", False)):
            items = table.get(array, [])
            if not isinstance(items, list):
                self.problem((*path, array), "must be an array of tables [[" + array + "]]")
                continue
            for i, item in enumerate(items):
                where = (*path, array, i)
                if not isinstance(item, dict):
                    self.problem(where, "must be a table with date, name and basis")
                    continue
                day = self.get(item, (*where, "date"), date)
                name = self.get(item, (*where, "name"), str)
                basis = self.get(item, (*where, "basis"), str)
                if basis is not None and not basis.strip():
                    self.problem((*where, "basis"), "must name the legal basis (it is empty)")
                unknown = set(item) - {"date", "name", "basis"}
                for key in sorted(unknown):
                    self.problem((*where, key), "is not a known key (date, name, basis)")
                if day is None or name is None or basis is None:
                    continue
                if type(day) is not date:
                    self.problem((*where, "date"), "must be a date like 2026-01-02 (no time)")
                    continue
                if day in found:
                    self.problem((*where, "date"), f"{day} is already listed at line {found[day][1]}")
                    continue
                found[day] = (off, _line_of(self.text, (*where, "date")))
                result.append(DayEntry(day, off, name, basis.strip(), source))
        return tuple(result)

    def periods(self, table: dict, path: tuple) -> dict[str, Period]:
        steps = {}
        if not isinstance(table, dict):
            self.problem(path, "must be a table of steps")
            return steps
        for step, spec in table.items():
            where = (*path, step)
            if step not in STEPS:
                self.problem(where, f"is not a step; steps are {', '.join(STEPS)}")
                continue
            if not isinstance(spec, dict):
                self.problem(where, "must be a table with days and unit")
                continue
            days = self.get(spec, (*where, "days"), int)
            unit = self.get(spec, (*where, "unit"), str, required=False, default="working")
            basis = self.get(spec, (*where, "basis"), str, required=False, default="")
            remind = self.get(spec, (*where, "remind_before"), int, required=False, default=1)
            for key in sorted(set(spec) - {"days", "unit", "basis", "remind_before"}):
                self.problem((*where, key), "is not a known key (days, unit, basis, remind_before)")
            if days is not None and days < 0:
                self.problem((*where, "days"), "must be 0 or more")
                continue
            if unit not in UNITS:
                self.problem((*where, "unit"), f"must be one of {', '.join(UNITS)}, not {unit!r}")
                continue
            if remind is not None and remind < 0:
                self.problem((*where, "remind_before"), "must be 0 or more")
                continue
            if days is not None:
                steps[step] = Period(days, unit, basis, remind)
        return steps


def _line_of(text: str, path: tuple) -> int | None:
    """The line where a key (or a table) of `path` is written; arrays of tables are counted."""
    target, current, counts, best = tuple(path), (), {}, None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[["):
            name = tuple(part.strip() for part in line[2 : line.find("]]")].split("."))
            counts[name] = counts.get(name, -1) + 1
            current = (*name, counts[name])
        elif line.startswith("["):
            current = tuple(part.strip() for part in line[1 : line.find("]")].split("."))
        else:
            match = re.match(r'^"?([A-Za-z0-9_\-]+)"?\s*=', line)
            if match and (*current, match.group(1)) == target:
                return number
            continue
        if current == target:
            return number
        # a parent table stands for a key it lacks; a sub-table ([steps.answer]) stands for its parent ([steps])
        related = target[: len(current)] == current or current[: len(target)] == target
        if current and related and best is None:
            best = number
    return best


def _weekend(reader: _Reader, data: dict) -> frozenset[int]:
    names = reader.get(data, ("weekend",), list, default=["saturday", "sunday"])
    days = set()
    for name in names:
        if not isinstance(name, str) or name.lower() not in WEEKDAYS:
            reader.problem(("weekend",), f"{name!r} is not a weekday name ({', '.join(WEEKDAYS)})")
        else:
            days.add(WEEKDAYS.index(name.lower()))
    return frozenset(days)


def _national(reader: _Reader) -> NationalSpec | None:
    data = reader.data
    zone_name = reader.get(data, ("time_zone",), str, default="Asia/Ho_Chi_Minh")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.problem(("time_zone",), f"{zone_name!r} is not a known time zone")
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
    office = reader.get(data, ("office_hours",), dict, default={})
    opening = reader.clock(office, ("office_hours", "open"), time(7, 30))
    closing = reader.clock(office, ("office_hours", "close"), time(17, 0))
    if opening and closing and opening >= closing:
        reader.problem(("office_hours", "close"), "must be later than office_hours.open")
    public = reader.get(data, ("public_holidays",), dict, default={})
    years = reader.get(public, ("public_holidays", "years"), list, default=[2020, 2035])
    if len(years) != 2 or not all(isinstance(y, int) and 1990 <= y <= 2100 for y in years) or years[0] > years[1]:
        reader.problem(("public_holidays", "years"), "must be [first, last], years between 1990 and 2100")
        years = [2020, 2035]
    country = reader.get(public, ("public_holidays", "country"), str, default="VN")
    if country != "VN":
        reader.problem(("public_holidays", "country"), "only VN (the `holidays` package's Vietnam) is supported")
    return NationalSpec(
        name=reader.get(data, ("name",), str, default="national"),
        policy=reader.get(data, ("policy",), str, default=""),
        time_zone=zone,
        weekend=_weekend(reader, data),
        office_open=opening,
        office_close=closing,
        holiday_years=(years[0], years[1]),
        holidays_basis=reader.get(public, ("public_holidays", "basis"), str, default=""),
        entries=reader.entries(data, reader.name),
    )


def _province(reader: _Reader, code: str) -> ProvinceSpec:
    data = reader.data
    declared = reader.get(data, ("code",), str, default=code)
    if declared != code:
        reader.problem(("code",), f"must match the file name ({code!r})")
    inherits = reader.get(data, ("inherits",), str, required=False, default="national")
    if inherits != "national":
        reader.problem(("inherits",), 'a province inherits the national calendar: write inherits = "national"')
    office = reader.get(data, ("office_hours",), dict, required=False, default={})
    deadlines = reader.get(data, ("deadlines",), dict, required=False, default={})
    return ProvinceSpec(
        code=code,
        name=reader.get(data, ("name",), str, default=code),
        policy=reader.get(data, ("policy",), str, default=""),
        entries=reader.entries(data, reader.name),
        deadlines=reader.periods(deadlines, ("deadlines",)),
        office_open=reader.clock(office, ("office_hours", "open"), None),
        office_close=reader.clock(office, ("office_hours", "close"), None),
    )


def _policy(reader: _Reader, code: str) -> PolicySpec:
    data = reader.data
    declared = reader.get(data, ("code",), str, default=code)
    if declared != code:
        reader.problem(("code",), f"must match the file name ({code!r})")
    return PolicySpec(
        code=code,
        name=reader.get(data, ("name",), str, default=code),
        basis=reader.get(data, ("basis",), str, default=""),
        inherits=reader.get(data, ("inherits",), str, required=False),
        steps=reader.periods(reader.get(data, ("steps",), dict, default={}), ("steps",)),
        agency_info_request=_info_request(reader, data),
    )


def _info_request(reader: _Reader, data: dict) -> tuple[bool, str] | None:
    table = reader.get(data, ("agency_info_request",), dict, required=False)
    if table is None:
        return None
    path = ("agency_info_request",)
    return (
        reader.get(table, (*path, "allowed"), bool),
        reader.get(table, (*path, "basis"), str),
    )


def load_files(root: Path) -> CalendarFiles:
    """Read and check every file of `root` (calendars/); raise CalendarFilesInvalid listing all problems."""
    root = Path(root)
    problems: list[FileProblem] = []
    national_path = root / "national.toml"
    if not national_path.is_file():
        raise CalendarFilesInvalid([FileProblem(str(national_path), "", None, "the national calendar is missing")])
    readers = []

    def read(path, build, *args):
        reader = _Reader(path, root)
        readers.append(reader)
        return build(reader, *args) if reader.data is not None else None

    national = read(national_path, _national)
    provinces = {p.stem: read(p, _province, p.stem) for p in sorted((root / "provinces").glob("*.toml"))}
    policies = {p.stem: read(p, _policy, p.stem) for p in sorted((root / "policies").glob("*.toml"))}
    for reader in readers:
        problems.extend(reader.problems)
    policies = {k: v for k, v in policies.items() if v is not None}
    resolved = _resolve_policies(policies, root, problems)
    if national is not None and national.policy and national.policy not in resolved:
        problems.append(_unknown_policy(root, national_path, national.policy, resolved))
    for code, province in provinces.items():
        if province is not None and province.policy and province.policy not in resolved:
            problems.append(_unknown_policy(root, root / "provinces" / f"{code}.toml", province.policy, resolved))
    if problems:
        raise CalendarFilesInvalid(problems)
    return CalendarFiles(national, provinces, resolved)


def _unknown_policy(root: Path, path: Path, policy: str, resolved: dict) -> FileProblem:
    line = _line_of(path.read_text(encoding="utf-8"), ("policy",))
    known = ", ".join(sorted(resolved)) or "none"
    return FileProblem(str(path.relative_to(root.parent)), "policy", line, f"no policy {policy!r} ({known})")


def _resolve_policies(policies: dict[str, PolicySpec], root: Path, problems: list) -> dict[str, PolicySpec]:
    """Steps a policy does not set come from the policy it inherits; every policy must end up with all steps."""
    resolved = {}

    def chain(code) -> list[str] | str:
        """The policies `code` inherits from, nearest first; or the problem that stops the walk."""
        walked = [code]
        while policies[walked[-1]].inherits:
            parent = policies[walked[-1]].inherits
            if parent not in policies:
                return f"no policy {parent!r}" if len(walked) == 1 else f"{walked[-1]!r} inherits a missing policy"
            if parent in walked:
                return "policies inherit in a circle: " + " → ".join([*walked, parent])
            walked.append(parent)
        return walked

    for code in policies:
        path = root / "policies" / f"{code}.toml"
        name, text = str(path.relative_to(root.parent)), path.read_text(encoding="utf-8")
        walked = chain(code)
        if isinstance(walked, str):
            problems.append(FileProblem(name, "inherits", _line_of(text, ("inherits",)), walked))
            continue
        steps = {}
        for ancestor in reversed(walked):
            steps.update(policies[ancestor].steps)
        policy = policies[code]
        missing = [s for s in STEPS if s not in steps]
        if missing:
            problems.append(
                FileProblem(name, "steps", _line_of(text, ("steps",)), f"no period for {', '.join(missing)}")
            )
            continue
        asked = next((policies[a].agency_info_request for a in walked if policies[a].agency_info_request), None)
        resolved[code] = PolicySpec(policy.code, policy.name, policy.basis, policy.inherits, steps, asked)
    return resolved
