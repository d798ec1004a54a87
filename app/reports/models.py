"""The archive of generated reports: one row per place, period and format (the unique key lets one worker write it)."""

from datetime import datetime

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ArchivedReport(Base):
    __tablename__ = "archived_report"
    __table_args__ = (UniqueConstraint("province_code", "period", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(50))  # a province's code, or "toan-quoc" for the country
    period: Mapped[str] = mapped_column(String(10))  # 2026-09, 2026-Q3, 2026
    format: Mapped[str] = mapped_column(String(4))  # xlsx or pdf
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when downloaded
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated_by: Mapped[str | None] = mapped_column(String(100))  # the scheduler worker
