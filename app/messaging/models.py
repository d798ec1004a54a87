"""What the message jobs keep: the days whose staff digests are written, one row per province."""

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class DigestDay(Base):
    """Today's digests of a province are written: the primary key lets only one worker write them."""

    __tablename__ = "digest_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), primary_key=True)
    written_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    written_by: Mapped[str | None] = mapped_column(String(100))
