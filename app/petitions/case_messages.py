"""The messages PAKN models send: the sender's timeline step with his e-mail and SMS (and those of the senders
following the case as its duplicates' senders), the agency's staff and the chair told.

Part of CaseFunctions (case_functions.py), whose __init__ sets the session, petition, book and instant they read.
"""

import json

from sqlalchemy import select

from app.accounts.models import User
from app.calendars.working_days import VIETNAM
from app.messaging.templates import case_link, sender_message
from app.translation import lazy_gettext, translate

from .models import CaseEvent, Notification, Petition

# append-only rows, written with Core INSERTs (app/append_only.py): the created_at, state and attempts of a
# notification are its columns' defaults, as for an ORM row
EVENTS, NOTIFICATIONS = CaseEvent.__table__, Notification.__table__
TOLD = ("reason", "agency", "text", "original")  # what a step may say to the sender
# The staff's e-mails about a case: stored as sent, in Vietnamese, as the staff's digests are; texts from the catalogue.
STAFF_LANGUAGE = "vi"
ESCALATED = lazy_gettext("PAKN %(code)s được trình Chủ tịch xem xét, quyết định. Lý do: %(reason)s")
TRANSFERRED = lazy_gettext("PAKN %(code)s được %(source)s chuyển đến %(target)s. Lý do: %(reason)s")


def staff_text(text, **values) -> str:
    """A staff e-mail's text in the staff's language, its values filled in."""
    return translate(text, STAFF_LANGUAGE) % values


# Steps the senders of a case's duplicates hear of too (not what was asked of or said to its own sender alone).
FOLLOWED = ("forwarded", "transferred", "progress", "published")


class MessageFunctions:
    """Outbox rows (Notification) and timeline steps (CaseEvent) of the case."""

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
        self._append(EVENTS, {"petition_id": p.id, "kind": kind, "at": self.now, "details_json": _as_json(told, when)})
        values = {
            "title": p.title,
            "code": p.tracking_code,
            "link": case_link(p.tracking_code, p.sender_key),
            "at": shown_time(self.now),
            "due": shown_time(when) if when else "",
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
                self._append(
                    NOTIFICATIONS,
                    {
                        "petition_id": (about or to).id,
                        "kind": kind,
                        "channel": channel,
                        "recipient": recipient,
                        "subject": subject if channel == "email" else None,  # an SMS has no subject line
                        "body": body,
                    },
                )

    def _followers(self) -> list[Petition]:
        return list(
            self.session.scalars(
                select(Petition).where(Petition.original_id == self.petition.id, Petition.link_kind == "duplicate")
            )
        )

    def _tell_chair(self, reason: str):
        office = self._intake_office()
        if office is None:
            return
        body = staff_text(ESCALATED, code=self.petition.tracking_code, reason=reason)
        chairs = select(User).where(User.role == "chair", User.agency_id == office.id, User.active.is_(True))
        self._email_staff(self.session.scalars(chairs), "escalated", body)

    def _email_staff(self, users, kind: str, body: str):
        """One e-mail about this case to each of these staff who has an address."""
        for user in users:
            if user.email:
                self._append(
                    NOTIFICATIONS,
                    {
                        "petition_id": self.petition.id,
                        "kind": kind,
                        "channel": "email",
                        "recipient": user.email,
                        "subject": None,
                        "body": body,
                    },
                )


def shown_time(moment) -> str:
    """An instant as the sender reads it: Vietnam's time."""
    return moment.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def _as_json(told: dict, due) -> str:
    return json.dumps({**told, **({"due": due.isoformat()} if due else {})}, ensure_ascii=False)
