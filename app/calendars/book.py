"""The calendars in force: files, the `holidays` package and administrators' changes, layered per province.

Layers, later ones win for the same date: public holidays (package) → national file → national changes by
administrators → province file → province changes. Deadline periods: policy file → province file's
[deadlines] → province changes. A province without a file works under the national calendar and the policy
national.toml names (qd31-2021), with its administrators' changes on top.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

from .files import CalendarFiles, DayEntry, Period, PolicySpec, ProvinceSpec
from .working_days import Calendar, add_calendar_days, add_working_days, reminder_before, working_days_spanned

NATIONAL = "national"
PACKAGE = "holidays (VN)"
SWAP_BASIS = "Hoán đổi ngày làm việc theo quyết định của Thủ tướng Chính phủ (Bộ luật Lao động 2019, Điều 112 khoản 3)"


class UnknownStep(KeyError):
    """The model asked for a deadline the policy does not define."""


@dataclass(frozen=True)
class DeadlineChange:
    """An administrator's value for one step of one province."""

    province: str
    step: str
    period: Period


def package_entries(first: int, last: int, basis: str) -> list[DayEntry]:
    """Public holidays the package knows, and the Saturdays worked in exchange for its substituted days off."""
    swapped = set()
    for year, swaps in VietnamStaticHolidays.special_public_holidays.items():
        if first <= year <= last:
            swapped.update(date(year, s[0], s[1]) for s in (swaps if isinstance(swaps[0], tuple) else (swaps,)))
    entries = [
        DayEntry(day, True, name, SWAP_BASIS if day in swapped else basis, PACKAGE)
        for day, name in sorted(holidays.country_holidays("VN", years=range(first, last + 1), language="vi").items())
    ]
    for year, swaps in VietnamStaticHolidays.special_public_holidays.items():
        if not first <= year <= last:
            continue
        for swap in swaps if isinstance(swaps[0], tuple) else (swaps,):
            from_year = swap[4] if len(swap) > 4 else year
            day_off = date(year, swap[0], swap[1])
            worked = date(from_year, swap[2], swap[3])
            entries.append(DayEntry(worked, False, f"Làm bù cho ngày {day_off:%d/%m/%Y}", SWAP_BASIS, PACKAGE))
    return entries


class CalendarBook:
    """Everything needed to compute any province's deadlines; immutable, cheap to share between threads."""

    def __init__(
        self, files: CalendarFiles, changes: tuple[DayEntry, ...] = (), province_changes=(), deadlines=(), policies=None
    ):
        self.files = files
        self.national_changes = tuple(changes)  # DayEntry with source "admin"
        self.province_changes = tuple(province_changes)  # (province, DayEntry)
        self.deadline_changes = tuple(deadlines)  # DeadlineChange
        # Policies an administrator chose for provinces without a file (a file's own choice always wins).
        self.chosen_policies = {p: c for p, c in (policies or {}).items() if p not in files.provinces}
        self._calendars: dict[str, Calendar] = {}

    @property
    def provinces(self) -> list[str]:
        return sorted(self.files.provinces)

    @cached_property
    def _national_entries(self) -> dict[date, DayEntry]:
        spec = self.files.national
        layers = [package_entries(*spec.holiday_years, spec.holidays_basis), spec.entries, self.national_changes]
        return {entry.day: entry for layer in layers for entry in layer}

    def has_file(self, province: str) -> bool:
        return province in self.files.provinces

    def _province(self, province: str) -> ProvinceSpec:
        """The province's file; without one, the national calendar under the national policy (national.toml)."""
        spec = self.files.provinces.get(province)
        if spec is None:
            policy = self.chosen_policies.get(province, self.files.national.policy)
            spec = ProvinceSpec(code=province, name=province, policy=policy, entries=())
        return spec

    def entries(self, province: str | None) -> dict[date, DayEntry]:
        """The dated entries in force (days off and worked days), by date, with where each comes from."""
        merged = dict(self._national_entries)
        if province and province != NATIONAL:
            spec = self._province(province)
            merged.update((e.day, e) for e in spec.entries)
            merged.update((e.day, e) for p, e in self.province_changes if p == province)
        return merged

    def calendar(self, province: str | None) -> Calendar:
        key = province or NATIONAL
        if key not in self._calendars:
            national = self.files.national
            entries = self.entries(province).values()
            spec = self._province(province) if key != NATIONAL else None
            self._calendars[key] = Calendar(
                weekend=national.weekend,
                days_off=frozenset(e.day for e in entries if e.off),
                extra_working_days=frozenset(e.day for e in entries if not e.off),
                office_open=(spec and spec.office_open) or national.office_open,
                office_close=(spec and spec.office_close) or national.office_close,
                tz=national.time_zone,
            )
        return self._calendars[key]

    def policy(self, province: str) -> PolicySpec:
        return self.files.policies[self._province(province).policy]

    def policy_code(self, province: str) -> str:
        return self.policy(province).code

    def periods(self, province: str) -> dict[str, Period]:
        periods = dict(self.policy(province).steps)
        periods.update(self._province(province).deadlines)
        periods.update((c.step, c.period) for c in self.deadline_changes if c.province == province)
        return periods

    def period(self, province: str, step: str) -> Period:
        try:
            return self.periods(province)[step]
        except KeyError:
            raise UnknownStep(f"province {province!r} has no deadline for step {step!r}") from None

    def due(self, province: str, step: str, start: datetime, paused: int = 0) -> datetime:
        """The instant `step` of a case of `province` is due when the step starts at `start` (its period longer
        by `paused` days, in the period's unit, while its clock stood still)."""
        period = self.period(province, step)
        add = add_working_days if period.unit == "working" else add_calendar_days
        return add(self.calendar(province), start, period.days + paused)

    def days_between(self, province: str, step: str, start: datetime, end: datetime) -> int:
        """Days, in the unit of `step`'s period, that the day `end` counts on lies after the day `start` counts on
        (how long a clock stood still: the days it had left are the days it has left when it runs on)."""
        calendar = self.calendar(province)
        first, last = calendar.receipt_day(start), calendar.receipt_day(end)
        if self.period(province, step).unit != "working":
            return max((last - first).days, 0)
        return working_days_spanned(calendar, start, end)

    def reminder(self, province: str, step: str, due: datetime) -> datetime:
        """When to remind the people doing `step` that it is due at `due`."""
        return reminder_before(self.calendar(province), due, self.period(province, step).remind_before)

    def with_changes(self, national=(), provinces=(), deadlines=()) -> "CalendarBook":
        return CalendarBook(self.files, national, provinces, deadlines)


def admin_entry(entry: DayEntry) -> DayEntry:
    return replace(entry, source="admin")
