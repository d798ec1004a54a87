"""Deadline policies: how long each step may take under each legal regime.

Interim home of the three regimes until `calendars/` carries them as files (calendar issue).
"""

from dataclasses import dataclass

from .working_days import Calendar, add_calendar_days, add_working_days


@dataclass(frozen=True)
class Period:
    """N working days, or N calendar days."""

    days: int
    working: bool = True


POLICIES: dict[str, dict[str, Period]] = {
    # Decision 31/2021/QĐ-TTg Arts. 38–46 (National Public Service Portal), restated in Kon Tum's guidance.
    "qd31-2021": {
        "reject": Period(2),
        "request_info": Period(5),
        "forward": Period(5),
        "answer": Period(15),
        "progress": Period(5),
        "publish": Period(2),
        "info_reply": Period(10),
    },
    # Decision 574/QĐ-TTg (2017), Lai Châu plan: 20 working days, progress every 7 days, post in 2 working days.
    "qd574-2017": {
        "reject": Period(2),
        "request_info": Period(5),
        "forward": Period(5),
        "answer": Period(20),
        "progress": Period(7, working=False),
        "publish": Period(2),
        "info_reply": Period(10),
    },
    # Bắc Ninh Decision 17/2024/QĐ-UBND: handled within 7 days, forwarded at once.
    "bac-ninh-17-2024": {
        "reject": Period(2),
        "request_info": Period(5),
        "forward": Period(1),
        "answer": Period(7, working=False),
        "progress": Period(7, working=False),
        "publish": Period(2),
        "info_reply": Period(10),
    },
}


class UnknownStep(KeyError):
    """The model asked for a deadline the policy does not define."""


def due(calendar: Calendar, policy: str, step: str, start):
    """The instant `step` is due under `policy` when it starts at `start`."""
    try:
        period = POLICIES[policy][step]
    except KeyError:
        raise UnknownStep(f"policy {policy!r} has no deadline for step {step!r}") from None
    add = add_working_days if period.working else add_calendar_days
    return add(calendar, start, period.days)
