"""The functions a PAKN model's scripts and expressions may call, bound to one case in one transaction.

They are the model's only way to change the case records: deadlines, notifications, agency assignment,
late marks, publication. Everything they write belongs to the operation's transaction. They run inside the
engine run, before the operation's first write: rows of a petition not stored yet are held until it has an id.
"""

import json

from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency
from app.audit.log import record
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.messaging.templates import case_link, sender_message

from .duplicates import original_of
from .models import CaseDeadline, CaseEvent, Clarification, Notification, Petition
from .redaction import publish

AGENCY_STEPS = ("answer", "progress", "clarification")  # the lead agency answers for these runs
TOLD = ("reason", "agency", "text", "original")  # what a step may say to the sender
# Steps the senders of a case's duplicates hear of too (not what was asked of or said to its own sender alone).
FOLLOWED = ("forwarded", "transferred", "progress", "published")
INTAKE_STEPS = ("reject", "request_info", "forward", "review", "publish")  # the intake office answers for these


class CaseFunctions:
    """Script functions for one petition; `functions()` is what the script environment gets."""

    def __init__(self, session, petition: Petition, actor=None, book=None, latest: dict | None = None):
        """`book` and `latest` (step → the latest run of each step the case has) when a batch of cases read them
        together: neither is then queried again for this case."""
        self.session = session
        self.petition = petition
        self.actor = actor  # who completed the task that runs the scripts (None: a timer, the system)
        self.book = book if book is not None else current_book(session)
        self.province = petition.province_code
        self.policy = self.book.policy(self.province).code
        self.now = utcnow()  # one operation, one instant: parallel timers started together agree
        self._deadlines: dict[str, CaseDeadline] = dict(latest or {})  # latest run of each step
        self._started: dict[str, CaseDeadline] = {}  # runs started by this operation
        self._held: list = []  # rows waiting for the new petition's id
        self._resumed: set[str] = set()  # steps whose stopped clock this operation set running again

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

    def add_held_rows(self):
        """Once the new petition is stored (it has an id), add the rows the scripts made for it."""
        for row in self._held:
            row.petition_id = self.petition.id
            self.session.add(row)
        self._held = []

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
        return self.session.scalar(
            select(Agency).where(Agency.province_code == self.province, Agency.is_intake_office.is_(True)).limit(1)
        )

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
        if step not in self._deadlines and self.petition.id is None:
            return None  # a petition not stored yet has no stored deadlines either
        if step not in self._deadlines:
            self._deadlines[step] = self.session.scalar(
                select(CaseDeadline)
                .where(CaseDeadline.petition_id == self.petition.id, CaseDeadline.step == step)
                .order_by(CaseDeadline.started_at.desc(), CaseDeadline.id.desc())
                .limit(1)
            )
        return self._deadlines[step]

    def remind(self, step: str):
        """Tell the handlers and leaders of the agency doing `step` that it falls due soon."""
        record = self._latest(step)
        if record is None:
            return
        record.reminded_at = self.now
        due = record.due_at.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
        body = f"PAKN {self.petition.tracking_code} sắp đến hạn ({step}): hạn {due}."
        for user in self._agency_staff(("handler", "leader")):
            self._add(
                Notification(
                    petition_id=self.petition.id,
                    kind=f"{step}_reminder",
                    channel="email",
                    recipient=user.email,
                    body=body,
                )
            )

    def _agency_staff(self, roles):
        # the relationship, not lead_agency_id: queries in an engine run do not flush an agency just assigned
        agency = self.petition.lead_agency
        if agency is None:
            return []
        agency_id = agency.id
        return [
            user
            for user in self.session.scalars(
                select(User).where(User.role.in_(roles), User.agency_id == agency_id, User.active.is_(True))
            )
            if user.email
        ]

    def notify_sender(self, kind: str, **details):
        """Record the step on the sender's timeline and queue an e-mail and an SMS telling him, in his language,
        with the tracking code and the link to his case."""
        p = self.petition
        when = self._start("info_reply").due_at if kind == "request_info" else None
        told = {key: details.get(key) for key in TOLD if details.get(key) not in (None, "")}
        self._add(CaseEvent(petition_id=p.id, kind=kind, at=self.now, details_json=_as_json(told, when)))
        values = {
            "title": p.title,
            "code": p.tracking_code,
            "link": case_link(p.tracking_code, p.sender_key),
            "at": _shown(self.now),
            "due": _shown(when) if when else "",
            **{key: told.get(key) for key in TOLD},
        }
        self._tell(p, kind, values)
        if kind in FOLLOWED and p.id is not None:
            for follower in self._followers():  # senders of its duplicates follow this case
                self._tell(follower, kind, {**values, "link": case_link(p.tracking_code)}, about=p)

    def _tell(self, to: Petition, kind: str, values: dict, about: Petition | None = None):
        """Queue the e-mail and SMS of `kind` to the sender of `to`, in his language."""
        subject, body = sender_message(kind, to.sender_language or "vi", **values)
        for channel, recipient in (("email", to.sender_email), ("sms", to.sender_phone)):
            if recipient:
                self._add(
                    Notification(
                        petition_id=(about or to).id,
                        kind=kind,
                        channel=channel,
                        recipient=recipient,
                        subject=subject,
                        body=body,
                    )
                )

    def _followers(self) -> list[Petition]:
        return list(
            self.session.scalars(
                select(Petition).where(Petition.original_id == self.petition.id, Petition.link_kind == "duplicate")
            )
        )

    def assign_agency(self, lead_code: str, co_codes=()):
        """Make `lead_code` the lead agency and `co_codes` the co-handling agencies; tell the sender who handles it
        (a change of lead agency after the first is a transfer)."""
        agencies = {
            a.code: a for a in self.session.scalars(select(Agency).where(Agency.code.in_([lead_code, *co_codes])))
        }
        previous = self.petition.lead_agency
        self.petition.lead_agency = agencies[lead_code]
        self.petition.co_agencies = [agencies[c] for c in co_codes if c != lead_code]
        self.petition.forwarded_at = utcnow()
        if previous is None or previous.code != lead_code:
            kind = "forwarded" if previous is None else "transferred"
            self.notify_sender(kind, agency=agencies[lead_code].name)

    def consult(self, more_codes=()) -> list:
        """Ask the co-handling agencies for their opinion on the lead's direction (Decree 20/2008 Art. 14); agencies
        named now join the case. Their codes, one opinion task each."""
        lead = self.petition.lead_agency
        current = list(self.petition.co_agencies)
        wanted = [code for code in (more_codes or ()) if code and code not in {a.code for a in current}]
        if wanted:
            added = self.session.scalars(select(Agency).where(Agency.code.in_(wanted)).order_by(Agency.code)).all()
            current += [a for a in added if lead is None or a.code != lead.code]
            self.petition.co_agencies = current
        return [a.code for a in current]

    def transfer(self, kind: str, to_code: str, reason: str) -> str:
        """The lead agency hands the case on with its reason (seed 002 Art. 10.2d): to the competent agency, or up
        to its superior (`kind` "parent": its parent agency, else the province's people's committee, whose office is
        the intake office). Its answer run ends now, met or missed; the receiving agency's run starts when it takes
        the case, with the full period (Decision 31/2021 Art. 45: counted from the day the handling agency receives
        it). The sender and the intake office are told. The new lead agency's code."""
        current = self.petition.lead_agency
        if kind == "parent":
            target = (current.parent if current is not None else None) or self._intake_office()
        else:
            target = self.session.scalar(select(Agency).where(Agency.code == to_code))
        self.step_done("answer")
        self.assign_agency(target.code, [a.code for a in self.petition.co_agencies])
        office = self._intake_office()
        body = (
            f"PAKN {self.petition.tracking_code} được {current.name if current else ''} chuyển đến {target.name}. "
            f"Lý do: {reason}"
        )
        staff = (
            self.session.scalars(
                select(User).where(User.role == "intake", User.agency_id == office.id, User.active.is_(True))
            )
            if office is not None
            else []
        )
        for user in staff:
            if user.email:
                self._add(
                    Notification(
                        petition_id=self.petition.id,
                        kind="transfer_told",
                        channel="email",
                        recipient=user.email,
                        body=body,
                    )
                )
        return target.code

    def may_ask_sender(self) -> bool:
        """Does the province's policy let the handling agency ask the sender for more information?"""
        asked = self.book.policy(self.province).agency_info_request
        return bool(asked and asked[0])

    def ask_sender(self, question: str):
        """The handling agency asks the sender (policy permitting): its answer clock stops until the reply (the
        next deadline('answer') resumes it), the sender is told the question with his reply's deadline."""
        self.stop_clock("answer")
        self.step_not_applicable("progress")
        self.notify_sender("request_info", reason=question)

    def escalate(self, reason: str):
        """The agency takes the case to the provincial chair (seed 001 §2, seed 002 Art. 4.7, seed 003 §II.1):
        agencies disagree, or the matter is beyond its authority. Its answer run ends now; the chair is told."""
        self.step_done("answer")
        self.step_not_applicable("progress")
        self._tell_chair(reason)

    def _tell_chair(self, reason: str):
        office = self._intake_office()
        if office is None:
            return
        body = f"PAKN {self.petition.tracking_code} được trình Chủ tịch xem xét, quyết định. Lý do: {reason}"
        for user in self.session.scalars(
            select(User).where(User.role == "chair", User.agency_id == office.id, User.active.is_(True))
        ):
            if user.email:
                self._add(
                    Notification(
                        petition_id=self.petition.id, kind="escalated", channel="email", recipient=user.email, body=body
                    )
                )

    def _earlier(self, code: str) -> Petition:
        """An earlier case of the province named at classification (the form offered only such cases)."""
        earlier = self.session.scalar(
            select(Petition).where(Petition.tracking_code == (code or "").strip(), Petition.id != self.petition.id)
        )
        if earlier is None or earlier.province_code != self.province or earlier.state_secret:
            raise ValueError(f"no earlier case {code!r} of this province to link to")
        return original_of(self.session, earlier)

    def close_as_duplicate(self, original_code: str):
        """The same matter as an earlier case (seed 002 Art. 7.4): this case closes, linked to the original; its
        sender is told the original's tracking code and from now on hears of the original's steps."""
        original = self._earlier(original_code)
        self.petition.original_id, self.petition.link_kind = original.id, "duplicate"
        self.notify_sender("duplicate", original=original.tracking_code)

    def escalate_repeat(self, earlier_code: str, reason: str):
        """The sender petitions again on a matter already answered (seed 002 Art. 4.7, seed 003 §II.1): the intake
        office takes it to the chair, linked to the earlier case; the chair is told."""
        earlier = self._earlier(earlier_code)
        self.petition.original_id, self.petition.link_kind = earlier.id, "repeat"
        self._tell_chair(f"{reason} (PAKN {earlier.tracking_code})")

    def chair_assigns(self, lead_code: str, directive: str) -> str:
        """The chair names the lead agency with a directive: the case returns to handling there, with the full
        answer period from the day it receives it (as after a transfer). The lead agency's code."""
        self.assign_agency(lead_code, [a.code for a in self.petition.co_agencies if a.code != lead_code])
        return lead_code

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
        for leader in self._agency_staff(("leader",)):
            if leader.email:
                self._add(
                    Notification(
                        petition_id=self.petition.id,
                        kind="answer_overdue",
                        channel="email",
                        recipient=leader.email,
                        body=f"PAKN {self.petition.tracking_code} đã quá hạn trả lời; cần cập nhật tiến độ.",
                    )
                )

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


def _shown(moment) -> str:
    """An instant as the sender reads it: Vietnam's time."""
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def _as_json(told: dict, due) -> str:
    return json.dumps({**told, **({"due": due.isoformat()} if due else {})}, ensure_ascii=False)
