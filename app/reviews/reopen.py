"""The monthly review's "reopen" measure puts an answered case back to work: the answering agency gets a task of the
case's `clarification` process (app/petitions/clarifications.py), due by the province's `clarification` period, on
the leader's instruction; its answer reaches the sender as a re-examination, not as a reply to his own words."""

from app.errors import FieldError, FormInvalid
from app.petitions.case_functions import CaseFunctions
from app.petitions.clarifications import lock_petition, start_clarification, waiting_clarification
from app.petitions.models import Clarification, Petition
from app.translation import lazy_gettext, translate

ASKED_AS = "review"  # Clarification.asked_as of a reopening
SHOWN = lazy_gettext("Lãnh đạo yêu cầu xem xét lại")  # how the agency's task and the case pages name the question


def may_reopen(petition: Petition) -> bool:
    """Only a case answered in the system by an agency: its published answer is what that agency examines again."""
    return petition.published_at is not None and petition.lead_agency_id is not None and not petition.state_secret


def reopen_errors(session, petition: Petition, label) -> list[FieldError]:
    if not may_reopen(petition):
        return [FieldError("measure", "reopen_unanswered", {"label": label})]
    if waiting_clarification(session, petition) is not None:  # one open at a time: the agency's answer settles it
        return [FieldError("measure", "reopen_waiting", {"label": label})]
    return []


def reopen_case(session, leader, petition: Petition, instruction: str, label) -> tuple[Clarification, list]:
    """Within the leader's measure operation: start the agency's task on his instruction and tell the sender
    (timeline step and message). Returns the clarification and the engine's steps, for the audit entry."""
    lock_petition(session, petition)  # a sender's reply at the same instant waits, then sees this one waiting
    errors = reopen_errors(session, petition, label)
    if errors:
        raise FormInvalid(errors)
    shown = f"{translate(SHOWN, 'vi')}: {instruction}"
    clarification, steps = start_clarification(session, leader, petition, instruction, ASKED_AS, shown)
    CaseFunctions(session, petition, leader).notify_sender("reopened", text=instruction)
    return clarification, steps
