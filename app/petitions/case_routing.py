"""Who handles the case, as PAKN models decide it: the lead and co-handling agencies assigned, consulted, the case
transferred or escalated to the chair, linked to an earlier case as its duplicate or repeat, the sender asked for
more.

Part of CaseFunctions (case_functions.py), whose __init__ sets the session, petition, book and instant they read.
"""

from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency
from app.db import utcnow

from .case_messages import TRANSFERRED, staff_text
from .duplicates import original_of
from .models import Petition


class RoutingFunctions:
    """The case's agencies and links, with the deadline runs and messages each move settles or sends."""

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
        source = current.name if current else ""
        body = staff_text(
            TRANSFERRED, code=self.petition.tracking_code, source=source, target=target.name, reason=reason
        )
        staff = (
            self.session.scalars(
                select(User).where(User.role == "intake", User.agency_id == office.id, User.active.is_(True))
            )
            if office is not None
            else []
        )
        self._email_staff(staff, "transfer_told", body)
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
