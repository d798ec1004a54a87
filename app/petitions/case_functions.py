"""The functions a PAKN model's scripts and expressions may call, bound to one case in one transaction.

They are the model's only way to change the case records: deadlines (case_deadlines.py), notifications
(case_messages.py), agency assignment and escalation (case_routing.py), late marks, publication. Everything they
write belongs to the operation's transaction. They run inside the engine run, before the operation's first write:
rows of a petition not stored yet are held until it has an id.
"""

from sqlalchemy import select

from app.append_only import append
from app.audit.log import record
from app.calendars.store import current_book
from app.db import utcnow

from .case_deadlines import DeadlineFunctions
from .case_messages import MessageFunctions
from .case_routing import RoutingFunctions
from .models import CaseDeadline, Clarification, Petition
from .redaction import publish


class CaseFunctions(DeadlineFunctions, MessageFunctions, RoutingFunctions):
    """Script functions for one petition; `functions()` is what the script environment gets."""

    def __init__(self, session, petition: Petition, actor=None, book=None, latest: dict | None = None, office=None):
        """`book` and `latest` (step → the latest run of each step the case has) when a batch of cases read them
        together: neither is then queried again for this case; `office`, the province's intake office, when the
        caller has read it."""
        self.session = session
        self.petition = petition
        self.actor = actor  # who completed the task that runs the scripts (None: a timer, the system)
        self._book = book  # read when a deadline is first computed: an operation computing none reads no revision
        self.province = petition.province_code
        self.now = utcnow()  # one operation, one instant: parallel timers started together agree
        self._deadlines: dict[str, CaseDeadline] = dict(latest or {})  # latest run of each step
        self._all_read = latest is not None  # a batch passed every step's latest run
        self._office = office if office is not None else False  # the intake office, once read (None: it has none)
        self._started: dict[str, CaseDeadline] = {}  # runs started by this operation
        self._held: list = []  # rows waiting for the new petition's id
        self._resumed: set[str] = set()  # steps whose stopped clock this operation set running again

    @property
    def book(self):
        if self._book is None:
            self._book = current_book(self.session)
        return self._book

    @property
    def policy(self) -> str:
        """The code of the calendar policy the case's province follows (what a deadline run records)."""
        return self.book.policy_code(self.province)

    def functions(self) -> dict:
        """The names model scripts and expressions may call."""
        return {
            "deadline": self.deadline,
            "due": self.due,
            "reminder": self.reminder,
            "remind": self.remind,
            "notify_sender": self.notify_sender,
            "assign_agency": self.assign_agency,
            "mark_overdue": self.mark_overdue,
            "step_done": self.step_done,
            "step_not_applicable": self.step_not_applicable,
            "stop_clock": self.stop_clock,
            "consult": self.consult,
            "transfer": self.transfer,
            "escalate": self.escalate,
            "escalate_repeat": self.escalate_repeat,
            "close_as_duplicate": self.close_as_duplicate,
            "may_ask_sender": self.may_ask_sender,
            "ask_sender": self.ask_sender,
            "chair_assigns": self.chair_assigns,
            "mark_state_secret": self.mark_state_secret,
            "publish_result": self.publish_result,
            "clarify": self.clarify,
        }

    def _add(self, row):
        """Add a row of this petition; a new petition's rows wait for its id (see add_held_rows)."""
        if self.petition.id is None:
            self._held.append(row)
        else:
            self.session.add(row)

    def _append(self, table, row: dict):
        """Queue an append-only row of this petition (app/append_only.py); a new petition's wait for its id."""
        if self.petition.id is None:
            self._held.append((table, row))
        else:
            append(self.session, table, row)

    def add_held_rows(self):
        """Once the new petition is stored (it has an id), add the rows the scripts made for it."""
        for row in self._held:
            if isinstance(row, tuple):
                table, values = row
                append(self.session, table, {**values, "petition_id": self.petition.id})
            else:
                row.petition_id = self.petition.id
                self.session.add(row)
        self._held = []

    def mark_state_secret(self):
        """State-secret matters are handled outside the system: never public, only recorded."""
        self.petition.state_secret = True
        self.petition.hidden = True

    def publish_result(self, answer: str | None, summary: str | None, title: str | None = None, files=None):
        """Post the answer publicly (unless the case is hidden, which the public pages check) as the intake office
        redacted it: under `title` (none given: the case's own title) with only the files whose ids are in `files`
        (none given: no file). A redaction (another title, or a choice among files) is audited with the original beside
        what the public reads; the task's own entry holds the rest."""
        publication = publish(self.session, self.petition, answer, summary, title, files)
        if publication["before"] != {"title": publication["after"]["title"], "files": []}:
            record(self.session, self.actor, "petition.redacted", petition=self.petition, data=publication)

    def clarify(self, text: str):
        """The answering agency clarifies the sender's open reply to its answer (seed 002 Art. 12.2): the
        clarification is recorded beside the reply, its run is met or missed, the sender is told what it says."""
        open_reply = self.session.scalar(
            select(Clarification)
            .where(Clarification.petition_id == self.petition.id, Clarification.answered_at.is_(None))
            .order_by(Clarification.id)
            .limit(1)
        )
        if open_reply is not None:
            open_reply.answer, open_reply.answered_at = text, self.now
        self.step_done("clarification")
        reopened = open_reply is not None and open_reply.asked_as == "review"  # the monthly review's reopening
        self.notify_sender("reexamined" if reopened else "clarified", text=text)
