"""Which Camunda Form a user task shows (camunda:formRef / formKey, files in forms/), the data it sees, and
its submitted values checked and typed. Tasks without one keep their generated camunda:formData form."""

from uuid import UUID

from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.camunda_forms import Form, FormRegistry, submit, with_data
from app.engine.forms import FormField
from app.engine.instances import read_instance
from app.services import services_of

AGENCY_OPTIONS = "agency_options"  # the valuesKey that agency selects of the product's forms use


def registry(session) -> FormRegistry:
    """The forms folder of the session's Services, read again only when a file in it changed (designers edit
    forms at run time)."""
    services = services_of(session)
    folder = services.forms_dir
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.form"))) if folder.is_dir() else ()
    cached = services.forms_registry
    if cached is None or cached[0] != stamp:
        cached = services.forms_registry = (stamp, FormRegistry.from_directory(folder))
    return cached[1]


def camunda_form(session, task_spec) -> Form | None:
    return registry(session).for_task(task_spec)


def described_fields(form: Form) -> list[FormField]:
    """The form's inputs as field descriptions, so that histories show labels and option names, not codes."""
    fields = []
    for c in form.inputs():
        ref = {"ref": "agency"} if c.values_key == AGENCY_OPTIONS else {}
        kind = "boolean" if c.type == "checkbox" else "enum" if c.options else "string"
        fields.append(FormField(id=c.key, label=c.label or c.key, type=kind, options=c.options, properties=ref))
    return fields


def agency_options(session, province_code: str | None) -> list[dict]:
    """Agencies as form-js options: the case's province first (its intake office first), then the others."""
    rows = session.execute(
        select(Agency.code, Agency.name, Agency.province_code, Agency.is_intake_office, Province.name).outerjoin(
            Province, Province.code == Agency.province_code
        )
    ).all()
    rows.sort(key=lambda r: (r.province_code != province_code, r.name_1 or "", not r.is_intake_office, r.name))
    return [
        {"value": r.code, "label": r.name if r.province_code == province_code else f"{r.name} ({r.name_1 or '—'})"}
        for r in rows
    ]


def form_context(session, petition, task_data: dict) -> dict:
    """What a form's conditions, defaults and data-driven options read: the task data plus the product's lists."""
    return {**task_data, AGENCY_OPTIONS: agency_options(session, petition.province_code)}


def task_context(session, item, petition) -> dict:
    """form_context of a work item, read from a snapshot of its instance (no lock, the live workflow left alone)."""
    return form_context(session, petition, read_instance(session, item.instance_id).task_data(item.task_id))


def task_data(running, item) -> dict:
    """The data of the work item's task in its loaded workflow."""
    task = running.workflow.get_task_from_id(UUID(item.task_id))
    return dict(task.data) if task is not None else {}


def publishes(form: Form, key: str) -> bool:
    """Files of this picker are the answer's documents, published with it (component property publish=answer)."""
    for c in form.inputs():
        if c.key == key:
            return (c.spec.get("properties") or {}).get("publish") == "answer"
    return False


def submit_camunda_form(form: Form, context: dict, raw, files, store_files) -> dict:
    """Typed values of the form (hidden fields left out), or FormInvalid; the lists stay out of the task data."""
    if not hasattr(raw, "getlist"):  # a dict from code (not a browser): a field it leaves out keeps its value
        raw = {**{c.key: context[c.key] for c in form.inputs() if c.key in context and c.key not in raw}, **raw}
    values = submit(with_data(form, context), raw, context, files=files, store_files=store_files)
    values.pop(AGENCY_OPTIONS, None)
    return values
