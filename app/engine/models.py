"""Tables of the engine: deployed definitions, instances, the task index that inboxes read, waiting timers."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class ProcessDefinition(Base):
    """One deployed version of an executable process (a changed file is a new version, by content hash)."""

    __tablename__ = "process_definition"
    __table_args__ = (
        UniqueConstraint("process_key", "version"),
        UniqueConstraint("process_key", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    # Large and rarely needed (the parsed spec is cached per process): loaded only when asked for.
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_by: Mapped[str | None] = mapped_column(String(100))


class CurrentVersion(Base):
    """An earlier version an administrator made current again: new instances of the process start on it until
    a newer version is deployed (without a row, the newest version is current)."""

    __tablename__ = "process_current"

    process_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    chosen_by: Mapped[str] = mapped_column(String(100))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessInstance(Base):
    """A running or finished instance; its state is stored without the spec. `lock_version` detects races."""

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"), index=True)
    business_key: Mapped[str | None] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    state: Mapped[bytes] = mapped_column(LargeBinary)  # serialization.dump_state: compressed JSON
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_event: Mapped[str | None] = mapped_column(String(100))
    # task ids of notice timers the scheduler fired without loading the state (notices.py): caught up when read
    fired_notices: Mapped[str | None] = mapped_column(Text)

    definition: Mapped[ProcessDefinition] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class WorkItem(Base):
    """One user task as inboxes see it: who may do it, for which agency, due when, done by whom."""

    __tablename__ = "work_item"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_id"),
        Index("ix_work_item_inbox", "state", "agency_code", "due_at"),
        Index("ix_work_item_instance_state", "instance_id", "state"),
        Index("ix_work_item_agency_instance", "agency_code", "instance_id"),  # every case an agency touched
        Index("ix_work_item_assignee_state", "assignee", "state"),  # a holder's open tasks, not all he ever did
        # the few tasks that name people: an inbox finds those naming its user without reading every open task
        Index(
            "ix_work_item_named",
            "state",
            sqlite_where=text("candidate_users != ''"),
            postgresql_where=text("candidate_users != ''"),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    business_key: Mapped[str | None] = mapped_column(String(50))
    task_id: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    process_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    candidate_groups: Mapped[str] = mapped_column(String(300), default="")
    candidate_users: Mapped[str] = mapped_column(String(300), default="")
    agency_code: Mapped[str | None] = mapped_column(String(50))
    assignee: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="ready")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_step: Mapped[str | None] = mapped_column(String(30))  # from due('step'): recomputed with the calendar
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by: Mapped[str | None] = mapped_column(String(100))

    instance: Mapped[ProcessInstance] = relationship()

    @property
    def groups(self) -> list[str]:
        return [g for g in self.candidate_groups.split(",") if g]

    @property
    def users(self) -> list[str]:
        return [u for u in self.candidate_users.split(",") if u]


class Timer(Base):
    """A waiting timer event: what is due is an indexed query, not a scan of stored workflows."""

    __tablename__ = "timer"
    __table_args__ = (UniqueConstraint("instance_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_id: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(String(300))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    step: Mapped[str | None] = mapped_column(String(30))  # from deadline('step') / reminder('step')
    kind: Mapped[str | None] = mapped_column(String(10))  # "deadline" or "reminder"; None: other expressions
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # a row another writer deleted first is a race the instance's version check reports (InstanceConflict)
    __mapper_args__ = {"confirm_deleted_rows": False}
