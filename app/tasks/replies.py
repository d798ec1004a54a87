"""The sender's own task on the portal: whatever open user task the model offers the candidate group `sender`
(a request for more information in the product's model), with its form, for the petition's sender only."""

from dataclasses import dataclass

from sqlalchemy import select

from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.petitions.senders import is_sender_of

from .form_interface import TaskForm
from .policy import is_candidate
from .task_forms import work_item_form


@dataclass
class SenderTask:
    """An open task the sender does himself, and the form the model gives it."""

    item: WorkItem
    form: TaskForm


def open_sender_task(session, user, petition: Petition) -> SenderTask | None:
    """The petition's oldest open task for the group `sender`, when `user` is the petition's own sender (his
    account, or the holder of his case's link)."""
    if not is_sender_of(user, petition):
        return None  # staff of a group beside `sender` work from their tasklist, not from the portal
    items = session.scalars(
        select(WorkItem)
        .where(
            WorkItem.instance_id == petition.instance_id,
            WorkItem.state == "ready",
            WorkItem.candidate_groups.like("%,sender,%"),
        )
        .order_by(WorkItem.id)
    )
    item = next((i for i in items if is_candidate(user, i, petition)), None)
    return SenderTask(item, work_item_form(session, item)) if item is not None else None
