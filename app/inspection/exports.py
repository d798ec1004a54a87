"""An instance's history exported for auditors: every audit entry as recorded (actors, codes, submitted data) and
every deadline run with its verdict. JSON is UTF-8 text (no escape codes); CSV opens in spreadsheet programs."""

import csv
import io
import json
from datetime import datetime

from sqlalchemy import select

from app.audit.log import history
from app.calendars.working_days import VIETNAM
from app.deadlines.status import case_deadlines
from app.engine.models import ProcessInstance
from app.petitions.models import Petition

COLUMNS = ("at_utc", "at_local", "actor", "role", "action", "outcome", "task", "data")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs read as the start of a formula


def history_rows(session, instance_id: int) -> list[dict]:
    """The audit entries of the instance, oldest first, as recorded."""
    return [
        {
            "at_utc": e.at.isoformat(),
            "at_local": e.at.astimezone(VIETNAM).isoformat(),
            "actor": e.actor,
            "role": e.actor_role or "",
            "action": e.action,
            "outcome": e.outcome,
            "task": e.task_name or "",
            "data": e.data,
        }
        for e in history(session, instance_id)
    ]


def deadline_rows(session, petition: Petition | None) -> list[dict]:
    """Every run of every step's deadline with its verdict (`outcome`: running, overdue, met, missed)."""
    if petition is None:
        return []
    return [
        {
            "step": d.step,
            "policy": d.policy,
            "started_at": _instant(d.started_at),
            "due_at": _instant(d.due_at),
            "overdue_at": _instant(d.overdue_at),
            "ended_at": _instant(d.ended_at),
            "outcome": d.state,
            "days_left": d.days_left,
            "current": d.current,
        }
        for d in case_deadlines(session, petition)
    ]


def history_json(session, instance_id: int) -> str | None:
    """The instance's history and deadlines as JSON text; None when there is no such instance."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        return None
    petition = session.scalar(select(Petition).where(Petition.instance_id == instance_id))
    body = {
        "instance": instance.id,
        "tracking_code": petition.tracking_code if petition else instance.business_key,
        "process": instance.definition.process_key,
        "version": instance.definition.version,
        "steps": history_rows(session, instance_id),
        "deadlines": deadline_rows(session, petition),
    }
    return json.dumps(body, ensure_ascii=False, indent=2, default=str)


def history_csv(session, instance_id: int) -> str | None:
    """The instance's history as CSV text, each cell safe to open in a spreadsheet; None when no such instance."""
    if session.get(ProcessInstance, instance_id) is None:
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in history_rows(session, instance_id):
        cells = [*(row[k] for k in COLUMNS[:-1]), json.dumps(row["data"], ensure_ascii=False, sort_keys=True)]
        writer.writerow([spreadsheet_safe(str(cell)) for cell in cells])
    return "\ufeff" + out.getvalue()  # BOM: spreadsheet programs then read the Vietnamese text as UTF-8


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula (= + - @, tab, CR) gets a leading '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
