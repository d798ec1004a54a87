"""Claim, unclaim and complete user tasks. Shared by web, CLI and tests (what they read: app/tasks/queries.py)."""

from sqlalchemy import bindparam, or_, select, update

from app.accounts.models import User
from app.attachments.files import attach
from app.audit.log import history as audit_history
from app.audit.log import record
from app.db import utcnow
from app.engine.models import WorkItem
from app.engine.runtime import complete_user_task, load_instance, user_task_spec
from app.engine.saving import flush_saved, save
from app.errors import Conflict, FieldError, FormInvalid, NotFound, PermissionDenied
from app.petitions.case_functions import CaseFunctions
from app.petitions.clarifications import petition_of_instance
from app.petitions.models import Petition
from app.petitions.operations import fire_due_timers, sync_petition
from app.reviews.measures import require_measures
from app.services import services_of
from app.transaction import operation

from .policy import is_candidate, may_assign, may_give_back, may_hold
from .task_forms import form_context, task_data, task_form

# built once: a statement kept keeps its cache key, which SQLAlchemy otherwise computes on every execution
_ITEM_AND_PETITION = (
    select(WorkItem, Petition)
    .outerjoin(Petition, Petition.instance_id == WorkItem.instance_id)
    .where(WorkItem.id == bindparam("item_id"))
    .limit(1)
)


def _item_and_petition(session, item_id: int):
    """The task and its case in one query when the task is of the case's own process; a clarification's task (or
    one of a process started by hand) has its case looked up after."""
    found = session.execute(_ITEM_AND_PETITION, {"item_id": item_id}).first()
    if found is None:
        raise NotFound(f"work item {item_id}")
    item, petition = found
    return item, petition if petition is not None else petition_of_instance(session, item.instance_id)


def _refuse(user, action, item, petition, reason):
    raise PermissionDenied(
        reason,
        actor=user,
        action=action,
        petition=petition,
        task_id=item.task_id,
        data={"work_item": item.id, "task": item.bpmn_id},
    )


@operation
def claim_task(session, user, item_id: int) -> WorkItem:
    """Take a task so that colleagues see it is being worked on."""
    item, petition = _item_and_petition(session, item_id)
    if not is_candidate(user, item, petition):
        _refuse(user, "task.claim", item, petition, "not a candidate for this task")
    _take(session, user, item)
    session.refresh(item)
    record(
        session,
        user,
        "task.claimed",
        petition=petition,
        instance_id=item.instance_id,
        task_id=item.task_id,
        task_name=item.name,
    )
    return item


@operation
def assign_task(session, user, item_id: int, username: str) -> WorkItem:
    """A leader assigns (or reassigns) an open task of his agency to a named handler of it; audited."""
    item, petition = _item_and_petition(session, item_id)
    if not may_assign(user, item):
        _refuse(user, "task.assign", item, petition, "only a leader of the task's agency assigns it")
    holder = session.scalar(select(User).where(User.username == username))
    if holder is None or not may_hold(holder, item):
        colleagues = session.scalars(select(User).where(User.agency_id == user.agency_id, User.active.is_(True)))
        allowed = ", ".join(u.username for u in colleagues if may_hold(u, item))
        raise FormInvalid([FieldError("assignee", "enum", {"label": "assignee", "allowed": allowed})])
    if item.state != "ready":
        raise task_conflict(item)
    previous, item.assignee = item.assignee, holder.username
    record(
        session,
        user,
        "task.assigned",
        petition=petition,
        instance_id=item.instance_id,
        task_id=item.task_id,
        task_name=item.name,
        data={"assignee": holder.username, "previous_assignee": previous},
    )
    return item


def task_conflict(item: WorkItem) -> Conflict:
    """Why a task cannot be taken or done any more: who finished it, or who holds it."""
    if item.state == "completed":
        return Conflict(f"the task was completed by {item.completed_by}", by=item.completed_by, at=item.completed_at)
    if item.state != "ready":
        return Conflict("the task ended (a deadline or another step closed it)", at=item.completed_at)
    return Conflict(f"the task is held by {item.assignee}", by=item.assignee, held=True)


@operation
def unclaim_task(session, user, item_id: int) -> WorkItem:
    """Give a task back to the group: by whoever holds it, or by a leader of the task's agency."""
    item, petition = _item_and_petition(session, item_id)
    if not may_give_back(user, item):
        _refuse(user, "task.unclaim", item, petition, "only the holder or the agency's leader may unclaim")
    if item.state != "ready":
        raise Conflict("công việc đã kết thúc / the task is no longer open")
    if not item.assignee:
        raise Conflict("công việc chưa có người nhận / nobody holds the task")
    previous = item.assignee
    # conditional, as a claim: a completion or another give-back that came first leaves nothing to give back
    given_back = session.execute(
        update(WorkItem)
        .where(WorkItem.id == item.id, WorkItem.state == "ready", WorkItem.assignee == previous)
        .values(assignee=None)
        .execution_options(synchronize_session=False)
    )
    session.refresh(item)
    if given_back.rowcount != 1:
        raise task_conflict(item)
    record(
        session,
        user,
        "task.unclaimed",
        petition=petition,
        instance_id=item.instance_id,
        task_id=item.task_id,
        task_name=item.name,
        data={"previous_assignee": previous},
    )
    return item


def complete_task(session, user, item_id: int, submitted, files=None, uploads_dir=None) -> WorkItem:
    """Complete a user task with the form's values; the case advances to its next wait, all or nothing.

    Deadlines that have passed take effect first, in their own transaction: a deadline beats a late form.
    `submitted` is a dict or the request's form; `files` maps a Camunda Form's file pickers to `Upload` lists.
    Files of a picker with the component property `publish=answer` are published with the answer.
    """
    args = (session, user, item_id, submitted, files or {}, uploads_dir or services_of(session).uploads_dir)
    try:
        return _complete_task(*args)
    except TimersDue as due:  # rolled back before anything was done: the deadlines go first, then the form again
        fire_due_timers(session, due.instance_id)
    return _complete_task(*args, timers_fired=True)


class TimersDue(Exception):
    """The instance has deadlines that passed and have not fired yet."""

    def __init__(self, instance_id: int):
        super().__init__(f"process instance {instance_id} has due timers")
        self.instance_id = instance_id


def _take(session, user, item: WorkItem):
    """One conditional UPDATE: of two people taking the task at the same moment (two claims, a claim and a
    completion), exactly one gets it; the other's conflict names who holds it or who finished it."""
    taken = session.execute(
        update(WorkItem)
        .where(
            WorkItem.id == item.id,
            WorkItem.state == "ready",
            or_(WorkItem.assignee.is_(None), WorkItem.assignee == user.username),
        )
        .values(assignee=user.username)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        session.refresh(item)
        raise task_conflict(item)


def _hold_for_completion(session, user, item: WorkItem):
    """Take the task as a claim does, first of the completion's writes: a colleague's claim or a leader's give-back
    made after the checks above then finds it held (and waits for this transaction where rows are locked), and one
    made before them makes this completion the conflict, instead of being overwritten by it."""
    _take(session, user, item)
    item.assignee = user.username  # as written; the completion's own write keeps it


@operation
def _complete_task(session, user, item_id: int, submitted, files, uploads_dir, timers_fired=False) -> WorkItem:
    item, petition = _item_and_petition(session, item_id)
    if not is_candidate(user, item, petition):
        _refuse(user, "task.complete", item, petition, "not a candidate for this task")
    if item.state != "ready":
        raise task_conflict(item)  # finished by a colleague (or a deadline): a conflict, not a refusal
    if item.assignee and item.assignee != user.username:
        _refuse(user, "task.complete", item, petition, f"the task is claimed by {item.assignee}")
    if petition is None:  # a monthly review (no petition) ends once each case it lists has its measure
        require_measures(session, item)
    _hold_for_completion(session, user, item)
    running = load_instance(session, item.instance_id, instance_functions(session, petition, user))
    now = utcnow()
    # the timer rows were read with the instance, locked: no earlier query asks whether any has fallen due
    if not timers_fired and any(timer.due_at < now for timer in running.timers):
        raise TimersDue(item.instance_id)
    form = task_form(session, user_task_spec(running.definition, item.process_key, item.bpmn_id))
    given = task_data(running, item)
    context = form_context(session, petition, given, form)

    def store(key, uploads, public):
        if petition is None:  # files belong to a petition: a process started by hand has none to keep them
            raise FormInvalid([FieldError(key, "no_files", {"label": key})])
        rows = attach(session, uploads_dir, petition.id, uploads, user.username, public=public)
        session.flush()
        return [{"id": row.id, "file_name": row.file_name} for row in rows]

    values = form.submit(context, submitted, files, store)
    complete_user_task(running, item.task_id, values)
    item.assignee = item.assignee or user.username
    save(session, running, user.username, completed_task_id=item.task_id, flush=False)
    if petition is not None:
        sync_petition(petition, running)
    record(
        session,
        user,
        "task.completed",
        petition=petition,
        instance_id=item.instance_id,
        task_id=item.task_id,
        task_name=item.name,
        data={"bpmn_id": item.bpmn_id, **audited_values(values, given), "steps": running.steps},
    )
    flush_saved(session, running)  # the instance, its index, the case and the audit entry in one flush
    return item


LONG_TEXT = 200  # characters: a text this long sent back as the task gave it is named, not copied, in the audit


def audited_values(values: dict, given: dict) -> dict:
    """What a completion's audit entry records: the values sent, except long texts left as the task gave them (a
    leader approving the handler's answer), named under "unchanged": the entry that set them holds them."""
    kept = sorted(k for k, v in values.items() if isinstance(v, str) and len(v) >= LONG_TEXT and given.get(k) == v)
    if not kept:
        return {"values": values}
    return {"values": {k: v for k, v in values.items() if k not in kept}, "unchanged": kept}


def instance_functions(session, petition, actor=None) -> dict:
    """What the model's scripts may call: a petition's case functions; nothing for an instance started by hand.
    `actor` completes the task: what the scripts audit (a redaction at publication) names him."""
    return CaseFunctions(session, petition, actor).functions() if petition is not None else {}


def history(session, instance_id: int):
    """Everything that happened to an instance, oldest first (audit entries)."""
    return audit_history(session, instance_id)
