"""Audit entries. Append-only: the ORM refuses updates and deletes, and so do the database's triggers (created by
the baseline migration on SQLite and PostgreSQL)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

from .data import audit_data, audit_text


class AuditEntry(Base):
    """One action: an operation's success, or a refused privileged attempt (outcome 'refused')."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_instance_at", "instance_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(300))
    data_json: Mapped[str] = mapped_column(Text, default="{}")  # small data as JSON text; "" when packed
    data_packed: Mapped[bytes | None] = mapped_column(LargeBinary)  # large data, zlib-compressed JSON (data.py)

    @property
    def data(self) -> dict:
        return audit_data(self.data_json, self.data_packed)

    @property
    def data_text(self) -> str:
        """The data's JSON, packed or not (what an export or a search of the text reads)."""
        return audit_text(self.data_json, self.data_packed)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper, _connection, _target):
    raise PermissionError("the audit log is append-only")
