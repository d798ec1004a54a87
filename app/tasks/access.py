"""Who may act on a work item: its candidate groups, the case's agency, the sender himself."""

from app.engine.models import WorkItem
from app.petitions.models import Petition


def is_candidate(user, item: WorkItem, petition: Petition) -> bool:
    """May `user` claim or complete `item`? Staff act for their own agency; the sender for his own case."""
    if user is None or not user.active:
        return False
    if user.username in item.users:
        return True
    groups = item.groups
    if "sender" in groups and user.role == "citizen" and petition.sender_user_id == user.id:
        return True
    return user.role in groups and item.agency_code is not None and user.agency_code == item.agency_code
