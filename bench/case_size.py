"""What a case costs on PostgreSQL once answered and published: time per user task and bytes stored.

Used by bench/stack.py on cases its senders submitted: each is classified, handled, approved, reviewed and
published through `complete_task` (the operation the pages call), then the rows of those cases are measured
with pg_column_size (table data, without indexes) and the database's growth is read from pg_database_size.
"""

import time

from sqlalchemy import select, text

from app.accounts.models import User
from app.db import make_engine, make_session_factory
from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.tasks.operations import complete_task

ANSWER = "Sở Xây dựng đã kiểm tra hiện trường và yêu cầu chủ công trình tháo dỡ phần lấn chiếm. " * 10
# (account, user task, form values): the lifecycle of bench/lifecycle.py
STEPS = [
    ("bench-intake-1", "classify", {"decision": "forward", "lead_agency": None}),
    ("bench-handler", "handle", {"action": "answer", "answer": ANSWER}),
    ("bench-leader", "leader_approve", {"leader_decision": "approve"}),
    ("bench-intake-1", "review", {"review_decision": "approve"}),
    ("bench-intake-1", "publish", {"public_summary": "Đã yêu cầu tháo dỡ phần lấn chiếm."}),
]
# tables holding a case's rows, and the column naming the case (petition or instance)
CASE_TABLES = {
    "petition": "id",
    "audit_entry": "petition_id",
    "case_deadline": "petition_id",
    "notification": "petition_id",
    "attachment": "petition_id",
    "process_instance": "id:instance",
    "work_item": "instance_id:instance",
    "timer": "instance_id:instance",
}


def publish_cases(url: str, lead_agency: str, instance_ids: list[int]) -> tuple[float, int]:
    """Take these waiting cases through to publication; (seconds per completed task, tasks completed)."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        users = {u.username: u for u in session.scalars(select(User).where(User.username.like("bench-%")))}
    spent, tasks = 0.0, 0
    for instance_id in instance_ids:
        with sessions() as session:
            for username, bpmn_id, values in STEPS:
                values = {**values, "lead_agency": lead_agency} if bpmn_id == "classify" else values
                query = select(WorkItem.id).where(
                    WorkItem.instance_id == instance_id, WorkItem.bpmn_id == bpmn_id, WorkItem.state == "ready"
                )
                started = time.perf_counter()
                complete_task(session, users[username], session.scalar(query), values)
                spent, tasks = spent + time.perf_counter() - started, tasks + 1
            status = session.scalar(select(Petition.status).where(Petition.instance_id == instance_id))
            if status != "published":
                raise SystemExit(f"case of instance {instance_id} ended {status}, not published")
    engine.dispose()
    return spent / max(1, tasks), tasks


def row_bytes(url: str, instance_ids: list[int]) -> dict[str, float]:
    """Mean bytes of table data per case, by table, for the cases of these instances."""
    engine = make_engine(url)
    sizes = {}
    with engine.connect() as connection:
        petitions = connection.execute(
            select(Petition.id).where(Petition.instance_id.in_(instance_ids))
        ).scalars().all()  # fmt: skip
        for table, column in CASE_TABLES.items():
            name, _, by = column.partition(":")
            ids = instance_ids if by == "instance" else petitions
            query = text(f"SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM {table} t WHERE t.{name} = ANY(:ids)")
            sizes[table] = connection.execute(query, {"ids": list(ids)}).scalar() / max(1, len(ids))
    engine.dispose()
    return sizes
