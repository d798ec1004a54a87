"""The deadline functions PAKN models call: each step's run started, resumed, reminded, marked overdue and settled
(met, missed, not applicable) in the case's province's working days.

Part of CaseFunctions (case_functions.py), whose __init__ sets the session, petition, book and instant they read.
"""

from collections import defaultdict

from sqlalchemy import bindparam, select

from app.agencies.models import Agency
from app.calendars.working_days import VIETNAM
from app.translation import lazy_gettext

from .case_messages import STAFF_LANGUAGE, shown_time, staff_text
from .catalog import STEPS
from .models import CaseDeadline

AGENCY_STEPS = ("answer", "progress", "clarification")  # the lead agency answers for these runs
INTAKE_STEPS = ("reject", "request_info", "forward", "review", "publish")  # the intake office answers for these
# The staff's e-mails about a step's deadline (case_messages.staff_text): the step named as every page names it
# (catalog.STEPS), never by its key.
REMINDER = lazy_gettext("PAKN %(code)s sắp đến hạn bước «%(step)s»: hạn %(due)s.")
ANSWER_OVERDUE = lazy_gettext("PAKN %(code)s đã quá hạn trả lời; cần cập nhật tiến độ.")

# built once (its cache key kept): every operation of a case reads its runs
_RUNS_OF = (
    select(CaseDeadline)
    .where(CaseDeadline.petition_id.in_(bindparam("petition_ids", expanding=True)))
    .order_by(CaseDeadline.started_at, CaseDeadline.id)
)
_INTAKE_OFFICE = (
    select(Agency).where(Agency.province_code == bindparam("province"), Agency.is_intake_office.is_(True)).limit(1)
)


class DeadlineFunctions:
    """The runs of the case's steps (CaseDeadline rows), read once per operation and step."""

    def deadline(self, step: str) -> str:
        """Due instant of `step` starting now under the case's province; recorded, returned as ISO 8601."""
        record = self._start(step)
        return record.due_at.astimezone(VIETNAM).isoformat()

    def reminder(self, step: str) -> str:
        """When to remind that `step` falls due: the run started in this operation, or one started now."""
        record = self._start(step)
        return self.book.reminder(self.province, step, record.due_at).astimezone(VIETNAM).isoformat()

    def _started_at(self, step: str):
        """Progress updates recur on a fixed beat: each period starts when the previous one (or the answer) fell
        due, whether the update came early, on time or never."""
        if step == "progress":
            previous = [r for r in (self._latest("answer"), self._latest("progress")) if r is not None]
            last = max(previous, key=lambda r: r.due_at, default=None)
            if last is not None and (last.step == "progress" or last.due_at <= self.now):
                return last.due_at
        return self.now

    def _start(self, step: str) -> CaseDeadline:
        if step in self._resumed:
            return self._started[step]  # resumed in this operation (the deadline and the reminder of one step)
        latest = self._latest(step)
        if latest is not None and latest.ended_at is not None and latest.verdict is None:
            return self._resume(latest)
        started = self._started_at(step)
        current = self._started.get(step)
        if current is not None and current.started_at == started:
            return current  # already started in this operation (the deadline and the reminder of one step)
        record = CaseDeadline(
            petition_id=self.petition.id,
            step=step,
            policy=self.policy,
            started_at=started,
            due_at=self.book.due(self.province, step, started),
            paused_days=0,
            agency_code=self._answerable(step),
        )
        self._add(record)
        self._deadlines[step] = self._started[step] = record
        return record

    def _answerable(self, step: str) -> str | None:
        """Who answers for a run of `step`: the lead agency for its answer, the intake office for its own steps."""
        if step in AGENCY_STEPS:
            return self.petition.lead_agency.code if self.petition.lead_agency is not None else None
        if step in INTAKE_STEPS:
            office = self._intake_office()
            return office.code if office is not None else None
        return None

    def _intake_office(self) -> Agency | None:
        if self._office is False:  # read once per operation: several functions of one run ask for it
            self._office = self.session.scalar(_INTAKE_OFFICE, {"province": self.province})
        return self._office

    def _resume(self, record: CaseDeadline) -> CaseDeadline:
        """A clock stopped by stop_clock runs on: the days it stood still are added to its period."""
        record.paused_days += self.book.days_between(self.province, record.step, record.ended_at, self.now)
        record.due_at = self.book.due(self.province, record.step, record.started_at, record.paused_days)
        record.ended_at = None
        self._started[record.step] = record
        self._resumed.add(record.step)
        return record

    def due(self, step: str):
        """The due instant recorded for the current run of `step`, or None."""
        record = self._latest(step)
        return record.due_at if record else None

    def _latest(self, step: str) -> CaseDeadline | None:
        if step not in self._deadlines and not self._all_read:
            if self.petition.id is None:
                return None  # a petition not stored yet has no stored deadlines either
            self._read_deadlines()
        return self._deadlines.get(step)

    def _read_deadlines(self):
        """The latest run of every step of the case, in one query (an operation asks for several steps)."""
        for step, record in latest_runs(self.session, [self.petition.id])[self.petition.id].items():
            if step not in self._started:  # a run this operation started stays the latest
                self._deadlines[step] = record
        self._all_read = True

    def remind(self, step: str):
        """Tell the handlers and leaders of the agency doing `step` that it falls due soon."""
        record = self._latest(step)
        if record is None:
            return
        record.reminded_at = self.now
        step_name = STEPS[step].translate(STAFF_LANGUAGE) if step in STEPS else step
        body = staff_text(REMINDER, code=self.petition.tracking_code, step=step_name, due=shown_time(record.due_at))
        self._email_staff(self._agency_staff(("handler", "leader")), f"{step}_reminder", body)

    def mark_overdue(self, step: str):
        """Record that `step` missed its deadline; a missed answer makes the case late and tells the leaders."""
        record = self._latest(step)
        if record is not None and record.overdue_at is None:
            record.overdue_at = self.now
        if step == "progress" and record is not None and record.verdict is None:
            record.ended_at, record.verdict = self.now, "missed"  # a period's update never came; the next begins
        if step != "answer":
            return
        self.petition.late = True
        body = staff_text(ANSWER_OVERDUE, code=self.petition.tracking_code)
        self._email_staff(self._agency_staff(("leader",)), "answer_overdue", body)

    def step_done(self, step: str):
        """The case did `step` now (or when its clock stopped): the latest run is met or missed by its due date."""
        record = self._latest(step)
        if record is None or record.verdict is not None:
            return
        record.ended_at = record.ended_at or self.now
        record.verdict = "missed" if record.ended_at > record.due_at else "met"

    def step_not_applicable(self, *steps: str):
        """The case went another way: the open runs of `steps` are neither met nor missed (a reject deadline
        passing before a lawful forward)."""
        for step in steps:
            record = self._latest(step)
            if record is not None and record.verdict is None:
                record.ended_at = record.ended_at or self.now
                record.verdict = "not_applicable"

    def stop_clock(self, step: str):
        """Stop `step`'s clock now (the agency's leader approved the answer): step_done settles it, the next
        deadline(step) resumes it (the answer returned by the intake office's review)."""
        record = self._latest(step)
        if record is not None and record.verdict is None and record.ended_at is None:
            record.ended_at = self.now


def latest_runs(session, petition_ids: list[int]) -> defaultdict:
    """petition → step → its latest run (the newest start, then the newest row), as CaseFunctions reads it."""
    latest = defaultdict(dict)
    for run in session.scalars(_RUNS_OF, {"petition_ids": list(petition_ids)}):
        latest[run.petition_id][run.step] = run
    return latest
