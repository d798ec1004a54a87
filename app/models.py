"""Import every model so that the metadata knows every table (used by the migrations and tests)."""

from app.accounts.models import AccountRequest, AccountToken, CaseSeen, LoginFailure, LoginSession, User  # noqa: F401
from app.agencies.models import Agency, Commune, Province, UnitCatalogue  # noqa: F401
from app.attachments.models import Attachment  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.calendars.models import CalendarDay, CalendarRevision, DeadlineSetting  # noqa: F401
from app.engine.models import CurrentVersion, ProcessDefinition, ProcessInstance, Timer, WorkItem  # noqa: F401
from app.messaging.models import DigestDay  # noqa: F401
from app.petitions.models import (  # noqa: F401
    CaseDeadline,
    CaseEvent,
    Clarification,
    Field,
    HideReason,
    Notification,
    Petition,
    PetitionStatus,
    Rating,
)
from app.reports.models import ArchivedReport  # noqa: F401
from app.reviews.models import MonthlyReview, ReviewCase, RuleFlag  # noqa: F401
