"""Auditors: search instances, see one on its diagram with its history and deadlines, export the history."""

import csv
import io
import json
from datetime import datetime

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.audit.instances import Filters, deadlines, element_states, search, steps
from app.calendars.working_days import VIETNAM
from app.diagrams.svg import render_diagrams
from app.engine.models import ProcessInstance
from app.petitions.models import Petition, PetitionStatus

from .. import db
from ..access import roles_required
from ..i18n import local_day_bound

bp = Blueprint("audit", __name__, url_prefix="/kiem-tra")
MENU = [("audit.instances", "Kiểm tra hồ sơ", ("auditor", "admin"), 40)]
READERS = ("auditor", "admin")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs read as the start of a formula


@bp.get("/")
@roles_required(*READERS)
def instances():
    args = request.args
    filters = Filters(
        code=args.get("code", "").strip(),
        status=args.get("status", ""),
        agency=args.get("agency", ""),
        province=args.get("province", ""),
        received_from=local_day_bound(args.get("from")),
        received_to=local_day_bound(args.get("to"), end=True),
        overdue=args.get("overdue") == "1",
    )
    session = db()
    return render_template(
        "audit/instances.html",
        rows=search(session, filters),
        args=args,
        statuses=session.scalars(select(PetitionStatus).order_by(PetitionStatus.sort_order)).all(),
        agencies=session.execute(select(Agency.code, Agency.name).order_by(Agency.name)).all(),
        provinces=session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
    )


def _instance(instance_id: int):
    instance = db().get(ProcessInstance, instance_id)
    if instance is None:
        abort(404, description="Không có hồ sơ (phiên quy trình) mang số này.")
    petition = db().scalar(select(Petition).where(Petition.instance_id == instance_id))
    return instance, petition


@bp.get("/<int:instance_id>")
@roles_required(*READERS)
def instance(instance_id):
    instance, petition = _instance(instance_id)
    states = element_states(instance)
    diagrams = render_diagrams(
        instance.definition.bpmn_xml.encode("utf-8"), states, file_name=instance.definition.file_name
    )
    return render_template(
        "audit/instance.html",
        instance=instance,
        petition=petition,
        diagrams=[(d.name, Markup(d.svg)) for d in diagrams],  # drawn by our renderer, which escapes all text
        states=states,
        steps=steps(db(), instance_id),
        deadlines=deadlines(db(), petition) if petition else [],
    )


def _rows(instance_id):
    for step in steps(db(), instance_id):
        yield {
            "at_utc": step.at.isoformat(),
            "at_local": step.at.astimezone(VIETNAM).isoformat(),
            "actor": step.actor,
            "role": step.role,
            "action": step.action,
            "outcome": step.outcome,
            "task": step.task,
            "data": step.data,
        }


@bp.get("/<int:instance_id>/lich-su.json")
@roles_required(*READERS)
def history_json(instance_id):
    instance, petition = _instance(instance_id)
    body = {
        "instance": instance.id,
        "tracking_code": petition.tracking_code if petition else instance.business_key,
        "process": instance.definition.process_key,
        "version": instance.definition.version,
        "steps": list(_rows(instance_id)),
        "deadlines": [
            {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in d.items()}
            for d in (deadlines(db(), petition) if petition else [])
        ],
    }
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="lich-su-{instance_id}.json"'},
    )


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula (= + - @, tab, CR) gets a leading '."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@bp.get("/<int:instance_id>/lich-su.csv")
@roles_required(*READERS)
def history_csv(instance_id):
    _instance(instance_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", "at_local", "actor", "role", "action", "outcome", "task", "data"])
    for row in _rows(instance_id):
        cells = [*(row[k] for k in ("at_utc", "at_local", "actor", "role", "action", "outcome", "task")),
                 json.dumps(row["data"], ensure_ascii=False, sort_keys=True)]  # fmt: skip
        writer.writerow([spreadsheet_safe(str(cell)) for cell in cells])
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: spreadsheet programs then read the Vietnamese text as UTF-8
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="lich-su-{instance_id}.csv"'},
    )
