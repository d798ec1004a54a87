"""Starting a process by hand: the start form's values become the instance's data, one transaction, audited."""

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import STAFF_ROLES
from app.audit.log import record
from app.engine.instances import save, start_instance
from app.engine.models import WorkItem
from app.errors import PermissionDenied
from app.tasks.policy import may_complete
from app.transaction import operation

from .policy import may_start
from .queries import STARTED, start_context, start_form, startable


@dataclass(frozen=True)
class Started:
    """A new instance, and the first of its open tasks the starter may do (None when none is his)."""

    instance_id: int
    process: str
    first_task: WorkItem | None


@operation
def start_process(session, user, process_key: str, submitted) -> Started:
    """Start the latest version of a process with its start form's values, as `user`, run to its first wait.

    Refused (and audited) unless `user` is one of its starters (policy.may_start); FormInvalid leaves nothing
    stored. The camunda:initiator variable, when the model names one, is the starter's username (the form cannot
    change it). `submitted` is the request's form or a dict. Instances started here have no petition: their model's
    scripts get no case functions.
    """
    found = startable(session, process_key)
    if not may_start(user, found.start):
        raise PermissionDenied(
            "not a candidate starter of this process",
            actor=user,
            action="process.start",
            data={"process": found.key, "version": found.definition.version},
        )
    values = start_form(session, found).submit(start_context(session, user, found), submitted)
    data = {**values, **({found.start.initiator: user.username} if found.start.initiator else {})}
    # The engine runs before the first write: a runaway model script never holds the database's write lock.
    with session.no_autoflush:
        running = start_instance(session, found.definition, None, data, {})
    save(session, running, user.username)
    record(
        session,
        user,
        STARTED,
        instance_id=running.row.id,
        data={"process": found.key, "version": found.definition.version, "values": values, "steps": running.steps},
    )
    return Started(running.row.id, found.name, _first_task(session, user, running.row.id))


def _first_task(session, user, instance_id: int) -> WorkItem | None:
    """The starter's next step: the first open task he may do (the tasklist is the staff's)."""
    if user.role not in STAFF_ROLES:
        return None
    items = session.scalars(
        select(WorkItem).where(WorkItem.instance_id == instance_id, WorkItem.state == "ready").order_by(WorkItem.id)
    )
    return next((item for item in items if may_complete(user, item, None)), None)
