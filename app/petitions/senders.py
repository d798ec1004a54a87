"""Who the sender of a case is: the citizen account it belongs to, or whoever holds its secret link.

A sender without an account (or whose petition a clerk entered) acts through the link in his messages: replies
to a request for information, reads the answer, rates it. The link holder acts on that one case only, and the
audit log names him `sender:<tracking code>`.
"""

from dataclasses import dataclass

from .models import Petition


@dataclass(frozen=True)
class LinkHolder:
    """The sender acting through his case's secret link (app/petitions/timeline.py petition_by_sender_key)."""

    petition_id: int
    tracking_code: str
    role = "sender_link"  # never a candidate group: he acts as the sender of his own case only
    active = True
    agency = None
    agency_code = None
    id = None

    @property
    def username(self) -> str:
        return f"sender:{self.tracking_code}"


def is_sender_of(user, petition: Petition | None) -> bool:
    """Is `user` the sender of `petition`: its citizen account, or the holder of its link?"""
    if user is None or petition is None:
        return False
    if isinstance(user, LinkHolder):
        return user.petition_id == petition.id
    return user.role == "citizen" and petition.sender_user_id is not None and petition.sender_user_id == user.id
