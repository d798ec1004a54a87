"""What the monthly review keeps: the intake office's rule-breaking flags, one review per unit and month, and the
cases each review lists with the leader's measure."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.db import Base, UTCDateTime, utcnow
from app.petitions.models import Petition


class RuleFlag(Base):
    """The intake office marks a report as breaking the portal's rules (seed 002 Art. 7) without hiding it yet."""

    __tablename__ = "rule_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), unique=True)
    note: Mapped[str] = mapped_column(Text)
    flagged_by: Mapped[str] = mapped_column(String(100))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class MonthlyReview(Base):
    """One unit's review of one month; the unique pair lets only one scheduler start it."""

    __tablename__ = "monthly_review"
    __table_args__ = (UniqueConstraint("agency_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    month: Mapped[str] = mapped_column(String(7))  # the month reviewed, "YYYY-MM"
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by: Mapped[str | None] = mapped_column(String(100))  # the scheduler worker

    agency: Mapped[Agency] = relationship()


class ReviewCase(Base):
    """A case a review lists (why: hidden, one_star, flagged; comma-separated) and the measure the leader took."""

    __tablename__ = "review_case"
    __table_args__ = (UniqueConstraint("review_id", "petition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("monthly_review.id"), index=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    reasons: Mapped[str] = mapped_column(String(60))
    measure: Mapped[str | None] = mapped_column(String(20))  # unhide, reopen, instruct, no_action
    measure_text: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    petition: Mapped[Petition] = relationship()

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]
