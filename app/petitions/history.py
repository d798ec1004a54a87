"""A case's history as people read it: who did what and when, with the names of people, tasks, form fields,
options and agencies instead of codes. Clerks, their printouts and auditors read this one history; auditors also
see each entry's other data labelled (the engine's automatic steps, timers …), and their exports keep the raw
entry (`Step.entry`)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.accounts.models import ROLES, User
from app.agencies.models import Agency
from app.audit.actions import action_name, outcome_name
from app.audit.log import history
from app.audit.models import AuditEntry
from app.engine.models import ProcessInstance, WorkItem
from app.translation import current_language, lazy_gettext, translate

from .history_values import FormFields, ProcessElements, entry_notes, readable_values, unchanged_values
from .models import Petition

SYSTEM = lazy_gettext("Hệ thống")
REASON = lazy_gettext("Lý do")


@dataclass
class Step:
    """One entry of a case's history, readable; `entry` is the audit record as stored."""

    entry: AuditEntry
    at: datetime
    actor: str  # the person's full name, or "Hệ thống" for the engine and the timer job
    role: str
    action: str  # e.g. "Hoàn thành công việc: Phân loại PAKN"
    outcome: str
    refused: bool
    details: list[tuple[str, str]] = field(default_factory=list)  # values entered, a refusal's reason
    notes: list[tuple[str, str]] = field(default_factory=list)  # the rest of the entry's data, labelled


def case_history(session, instance_id: int | None, scope=None) -> list[Step]:
    """The instance's audit entries, oldest first (those `scope`, a ReadingScope, shows), readable."""
    if instance_id is None:
        return []
    entries = [e for e in history(session, instance_id) if scope is None or scope.shows(e.at)]
    if not entries:
        return []
    reading = _Reading(session, instance_id, {e.actor for e in entries})
    return [reading.step(entry) for entry in entries]


class _Reading:
    """The lookups one history needs, each made once: people, tasks, agencies, forms, the model's elements."""

    def __init__(self, session, instance_id: int, usernames: set[str]):
        self.session, self.lang = session, current_language()
        rows = session.execute(select(User.username, User.full_name).where(User.username.in_(usernames)))
        self.names = dict(rows.all())
        query = select(WorkItem).where(WorkItem.instance_id == instance_id)
        self.items = {item.task_id: item for item in session.scalars(query)}
        self.forms = FormFields(session)
        instance = session.get(ProcessInstance, instance_id)
        self.definition = instance.definition if instance is not None else None
        self.elements = ProcessElements(self.definition, self.lang)
        self._agencies = None

    @property
    def agencies(self) -> dict[str, str]:
        if self._agencies is None:
            self._agencies = dict(self.session.execute(select(Agency.code, Agency.name)).all())
        return self._agencies

    def content(self, petition_id: int | None) -> str | None:
        """The petition's content, as its row keeps it (a submission's audit entry names it: held_content.py)."""
        petition = self.session.get(Petition, petition_id) if petition_id is not None else None
        return petition.content if petition is not None else None

    def person(self, username: str | None) -> str:
        if username == "system":
            return str(SYSTEM)
        return self.names.get(username, username or "")

    def step(self, entry: AuditEntry) -> Step:
        action = action_name(entry.action)
        if entry.task_name:
            action = f"{action}: {translate(entry.task_name, self.lang)}"
        data, details = entry.data, []
        if entry.action == "task.completed" and isinstance(data.get("values"), dict):
            item = self.items.get(entry.task_id)
            fields = self.forms.of(item) if item is not None else []
            details = readable_values(fields, data["values"], self.agencies, self.lang)
            details += unchanged_values(fields, data.get("unchanged") or [], self.lang)
        elif entry.action == "process.started" and isinstance(data.get("values"), dict) and self.definition:
            fields = self.forms.of_start(self.definition)  # the start form's values, by their labels
            details = readable_values(fields, data["values"], self.agencies, self.lang)
        refused = entry.outcome != "ok"
        if refused and data.get("reason"):
            details.append((str(REASON), str(data["reason"])))
        return Step(
            entry=entry,
            at=entry.at,
            actor=self.person(entry.actor),
            role=str(ROLES[entry.actor_role]) if entry.actor_role in ROLES else (entry.actor_role or ""),
            action=action,
            outcome=outcome_name(entry.outcome),
            refused=refused,
            details=details,
            notes=entry_notes(self, entry, shown={"values", "unchanged", "bpmn_id", *(("reason",) if refused else ())}),
        )
