"""Where a case and its tasks stand against their deadlines, in working days of the case's province.

The one case-deadline view: every page (task, print, portal case, auditor) and export reads `case_deadlines`
(every run of every step) or `petition_deadlines` (the latest run of each step). One rule gives the verdict:

- a run is *open* while it is the latest of its step and the step still waits: its deadline timer has not fired,
  or a user task whose due date is this step's (`due('step')`) is ready;
- an open run is "running" until its due day has passed, then "overdue" (days late keep counting);
- a run the model settled (case_functions `step_done`, `step_not_applicable`, a missed progress period) has its
  recorded verdict: "met", "missed" or "not_applicable" (a reject deadline passing before a lawful forward);
- a run whose clock stopped (`stop_clock`: the leader approved the answer, the intake office reviews it) is met or
  missed as of that instant: the time in review is not the agency's;
- any other finished run is "missed" when its deadline fired (`overdue_at`) or its last task ended after the due
  instant (e.g. the sender's reply cut off by the deadline), else "met".

Where the two earlier rules disagreed: a step completed late while the case stays open is "missed" (the auditor's
rule; the clerk's pages kept counting it as "overdue"); a step past due whose timer has not fired yet, or still
worked on after it fired, is "overdue" (the clerk's rule; the auditor saw "running" or "missed"); a reply cut off
by its deadline is "missed" (both said "met").
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, select

from app.calendars.store import current_book
from app.calendars.working_days import add_working_days, days_left
from app.db import utcnow
from app.engine.models import Timer, WorkItem
from app.petitions.clarifications import case_instance_ids
from app.petitions.models import CaseDeadline, Petition
from app.translation import current_language, lazy_gettext, ngettext, translate

# Verdicts of a finished run (an open one says its days left or late, `describe`).
VERDICTS = {
    "met": lazy_gettext("đúng hạn"),
    "missed": lazy_gettext("trễ hạn"),
    "not_applicable": lazy_gettext("không áp dụng"),
}
DUE_SOON = 2  # working days: a task this close to its deadline is marked "due soon"
DUE_TODAY = lazy_gettext("đến hạn hôm nay")


def due_soon(session, now: datetime):
    """An open task due within DUE_SOON working days on its case's province calendar (the national one without a
    petition), as an SQL condition over WorkItem joined to its Petition. Only provinces with a file or an
    administrator's day change have a calendar of their own: one bound each, the national bound for the rest, so
    no query first lists the provinces of the tasks (37 ms for an intake office's 2,382 tasks at 1,000,000)."""
    book = current_book(session)
    own = sorted(set(book.provinces) | {province for province, _ in book.province_changes})
    national = add_working_days(book.calendar(None), now, DUE_SOON)
    bounds = {p: bound for p in own if (bound := add_working_days(book.calendar(p), now, DUE_SOON)) != national}
    until = case(bounds, value=Petition.province_code, else_=national) if bounds else national
    return and_(WorkItem.due_at >= now, WorkItem.due_at <= until)


@dataclass(frozen=True)
class DeadlineStatus:
    """One run of a step's deadline (or a task's due date) with its verdict."""

    step: str
    due_at: datetime
    # Working days before the due instant: 0 = due today, negative = working days late. A finished run counts
    # them at its end (None when no task of the step says when that was).
    days_left: int | None
    state: str  # "running", "overdue" (missed, still open), "met", "missed", "not_applicable"
    started_at: datetime | None = None
    ended_at: datetime | None = None  # when the step's last task ended (finished runs)
    overdue_at: datetime | None = None  # when the deadline fired
    policy: str = ""
    current: bool = True  # the latest run of its step
    agency_code: str | None = None  # who answers for the run (the lead agency, the intake office)

    @property
    def open(self) -> bool:
        return self.state in ("running", "overdue")

    @property
    def urgency(self) -> str | None:
        """ "late", "soon" or "ok" — how a list should mark an open deadline; None once it is over."""
        if not self.open:
            return None
        if self.days_left < 0:
            return "late"
        return "soon" if self.days_left <= DUE_SOON else "ok"

    @property
    def text(self) -> str:
        """The verdict in the reader's language: days left or late while open, met or missed once over."""
        return self.describe(current_language()) if self.open else str(VERDICTS[self.state])

    def describe(self, lang: str = "vi") -> str:
        """Days left or late of an open deadline, in `lang` through the catalogue."""
        n = abs(self.days_left)
        if self.days_left < 0:
            return ngettext("quá hạn %(num)s ngày làm việc", "quá hạn %(num)s ngày làm việc", n, lang) % {"num": n}
        if self.days_left == 0:
            return translate(DUE_TODAY, lang)
        return ngettext("còn %(num)s ngày làm việc", "còn %(num)s ngày làm việc", n, lang) % {"num": n}


def due_status(session, province: str, due_at: datetime, now: datetime | None = None, step: str = "") -> DeadlineStatus:
    """The days left (or late) before `due_at` on the province's calendar."""
    calendar = current_book(session).calendar(province)
    left = days_left(calendar, now or utcnow(), due_at)
    return DeadlineStatus(step, due_at, left, "overdue" if left < 0 else "running")


def task_status(session, item, province: str, now: datetime | None = None) -> DeadlineStatus | None:
    """A work item's due date as days left / late; None when the task has no due date."""
    if item.due_at is None:
        return None
    return due_status(session, province, item.due_at, now, item.due_step or "")


def petition_deadlines(session, petition, now: datetime | None = None) -> list[DeadlineStatus]:
    """The latest run of each step of the case (what clerks and senders follow)."""
    return [status for status in case_deadlines(session, petition, now) if status.current]


def case_deadlines(session, petition, now: datetime | None = None) -> list[DeadlineStatus]:
    """Every run of every step's deadline of the case, oldest first, each with its verdict (the rule above)."""
    now = now or utcnow()
    runs = session.scalars(
        select(CaseDeadline).where(CaseDeadline.petition_id == petition.id).order_by(CaseDeadline.id)
    ).all()
    if not runs:
        return []
    instances = case_instance_ids(session, petition)
    tasks = _step_tasks(session, instances)
    still_waiting = _waiting_steps(session, instances) | {t.due_step for t in tasks if t.state == "ready"}
    calendar = current_book(session).calendar(petition.province_code)
    latest = {run.step: run for run in runs}
    result = []
    for index, run in enumerate(runs):
        current = latest[run.step] is run
        if run.verdict is not None:
            left = days_left(calendar, run.ended_at, run.due_at) if run.verdict != "not_applicable" else None
            result.append(_status(run, left, run.verdict, run.ended_at, current))
            continue
        if run.ended_at is not None:  # the clock stopped: judged at that instant, whatever waits now
            left = days_left(calendar, run.ended_at, run.due_at)
            result.append(_status(run, left, "missed" if run.ended_at > run.due_at else "met", run.ended_at, current))
            continue
        if current and run.step in still_waiting:
            left = days_left(calendar, now, run.due_at)
            result.append(_status(run, left, "overdue" if left < 0 else "running", None, current))
            continue
        following = next((r.started_at for r in runs[index + 1 :] if r.step == run.step), None)
        ended = _ended_at(tasks, run, following)
        missed = run.overdue_at is not None or (ended is not None and ended > run.due_at)
        left = days_left(calendar, ended, run.due_at) if ended is not None else None
        result.append(_status(run, left, "missed" if missed else "met", ended, current))
    return result


def _status(run: CaseDeadline, left, state, ended, current) -> DeadlineStatus:
    return DeadlineStatus(
        run.step, run.due_at, left, state, run.started_at, ended, run.overdue_at, run.policy, current, run.agency_code
    )


def _waiting_steps(session, instance_ids: list[int]) -> set[str]:
    """Steps whose deadline timer still waits."""
    if not instance_ids:
        return set()
    query = select(Timer.step).where(Timer.instance_id.in_(instance_ids), Timer.kind == "deadline")
    return set(session.scalars(query))


def _step_tasks(session, instance_ids: list[int]) -> list:
    """The case's user tasks that show a step's due date: (due_step, state, created_at, completed_at)."""
    if not instance_ids:
        return []
    columns = (WorkItem.due_step, WorkItem.state, WorkItem.created_at, WorkItem.completed_at)
    query = select(*columns).where(WorkItem.instance_id.in_(instance_ids), WorkItem.due_step.is_not(None))
    return session.execute(query).all()


def _ended_at(tasks, run: CaseDeadline, following: datetime | None) -> datetime | None:
    """When the last task of this run of the step ended (tasks created from its start until the next run's)."""
    ends = [
        t.completed_at
        for t in tasks
        if t.due_step == run.step
        and t.completed_at is not None
        and t.created_at >= run.started_at
        and (following is None or t.created_at < following)
    ]
    return max(ends, default=None)
