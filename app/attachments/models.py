"""An attachment row: the file lives in the uploads folder under its SHA-256, the row says whose and what."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))  # as the sender named it (shown, never used as a path)
    content_type: Mapped[str] = mapped_column(String(100))  # from the content, not from the browser
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # an answer document: proposed for publication
    # Chosen public by the intake office at publication (redaction): the only files the public may download.
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
