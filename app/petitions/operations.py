"""State changes of petitions: submit, and keeping the record in step with its process instance."""

from sqlalchemy import select

from app.agencies.models import Agency
from app.attachments.files import LABEL, attach, check_uploads
from app.audit.log import record
from app.db import utcnow
from app.engine.models import Timer
from app.engine.runtime import (
    Running,
    advance,
    element_properties,
    fill_data,
    load_instance,
    ready_user_tasks,
    start_instance,
)
from app.engine.saving import flush_saved, save
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.services import services_of
from app.transaction import operation
from app.translation import SOURCE_LANGUAGE, current_language

from .case_functions import CaseFunctions
from .catalog import STATUS_ORDER, STATUSES
from .clarifications import petition_of_instance
from .duplicates import link_repeat
from .held_content import held_content
from .models import Petition
from .routing import definition_for
from .search import search_text
from .tracking import new_sender_key, new_tracking_code
from .validation import LABELS, NEEDS_PICTURE, clean_submission

CLERK_CHANNELS = {"letter", "phone", "fax", "email"}


@operation
def submit_petition(session, actor, raw: dict, attachments=(), uploads_dir=None) -> Petition:
    """Receive a PAKN: validate, store, give it a tracking code and start its process. Anonymous = actor None.

    Portal submissions come from anyone; letter, phone, fax and e-mail ones are entered by an intake clerk.
    Attachments (`Upload`s) are checked with the form (all errors at once) and stored under `uploads_dir`
    (default: the uploads folder of the session's Services).
    """
    attachments = list(attachments)
    file_errors = check_uploads(attachments)
    try:
        values = clean_submission(session, raw)
    except FormInvalid as invalid:
        raise FormInvalid(invalid.errors + file_errors + _picture_errors(raw, attachments, file_errors)) from None
    file_errors += _picture_errors(values, attachments, file_errors) + _province_errors(actor, values)
    if file_errors:
        raise FormInvalid(file_errors)
    if values["channel"] in CLERK_CHANNELS and (actor is None or actor.role != "intake"):
        raise PermissionDenied(
            "only an intake clerk enters PAKN received by letter, phone, fax or e-mail",
            actor=actor,
            action="petition.submit",
            data={"channel": values["channel"]},
        )
    petition = Petition(**values, tracking_code=_unique_code(session), received_at=utcnow(), status="received")
    # a clerk's screen language says nothing about the sender's
    petition.sender_language = current_language() if values["channel"] == "portal" else SOURCE_LANGUAGE
    petition.sender_key = new_sender_key()
    if actor is not None and actor.role == "citizen":
        petition.sender_user_id = actor.id
    if values["channel"] != "portal":
        petition.entered_by = actor.username
    petition.search_text = search_text(petition)
    # The engine runs before the first write: a runaway model script never holds the database's write lock.
    with session.no_autoflush:
        session.add(petition)
        intake = intake_office(session, petition.province_code)
        functions = CaseFunctions(session, petition, office=intake)
        data = {
            "petition_id": None,  # known once stored, below
            "tracking_code": petition.tracking_code,
            "province": petition.province_code,
            "kind": petition.kind,
            "channel": petition.channel,
            "intake_agency": intake.code,
            "lead_agency": None,
            "co_agencies": [],
        }
        running = start_instance(
            session,
            definition_for(session, petition.province_code, petition.channel),
            petition.tracking_code,
            data,
            functions.functions(),
        )
    session.flush()
    functions.add_held_rows()
    repeats = link_repeat(session, petition)
    fill_data(running, petition_id=petition.id)
    directory = uploads_dir or services_of(session).uploads_dir
    attach(session, directory, petition.id, attachments, actor.username if actor else None)
    save(session, running, actor.username if actor else None, flush=False)
    petition.instance_id = running.row.id
    sync_petition(petition, running)
    record(
        session,
        actor,
        "petition.submitted",
        petition=petition,
        instance_id=running.row.id,
        data={
            **values,
            "content": held_content(petition.content),  # the row keeps the text once
            "tracking_code": petition.tracking_code,
            "steps": running.steps,
            **({"repeats": repeats.tracking_code} if repeats else {}),
        },
    )
    flush_saved(session, running)  # the instance, its index, the case and the audit entry in one flush
    return petition


def enter_petition(session, clerk, raw: dict) -> Petition:
    """A PAKN an intake clerk received by letter, phone, fax or e-mail (the portal is the citizens' own channel):
    a portal channel is refused beside the form's other errors; otherwise as `submit_petition`."""
    if (raw.get("channel") or "") not in CLERK_CHANNELS:
        allowed = ", ".join(sorted(CLERK_CHANNELS))
        allowed = FieldError("channel", "enum", {"label": LABELS["channel"], "allowed": allowed})
        try:
            clean_submission(session, raw)
        except FormInvalid as invalid:
            raise FormInvalid([e for e in invalid.errors if e.field != "channel"] + [allowed]) from None
        raise FormInvalid([allowed])
    return submit_petition(session, clerk, raw)


def _picture_errors(values, attachments, file_errors) -> list[FieldError]:
    """A field or procedure report sent on the portal must carry a photo or video."""
    if values.get("kind") not in NEEDS_PICTURE or (values.get("channel") or "portal") != "portal" or file_errors:
        return []
    if any(a.content_type.startswith(("image/", "video/")) for a in attachments if a):
        return []
    return [FieldError("attachments", "picture_required", {"label": LABEL})]


def _province_errors(actor, values) -> list[FieldError]:
    """An intake clerk enters PAKN for his own province's office only."""
    if actor is None or actor.role != "intake" or actor.agency is None:
        return []
    if values["province_code"] != actor.agency.province_code:
        return [FieldError("province_code", "own_province", {"label": LABELS["province_code"]})]
    return []


def due_timers(session, instance_id: int, now=None) -> list[Timer]:
    """Timers of an instance that have fallen due (an indexed query, no workflow loaded)."""
    now = now or utcnow()
    return list(session.scalars(select(Timer).where(Timer.instance_id == instance_id, Timer.due_at < now)))


@operation
def fire_due_timers(session, instance_id: int) -> list[str]:
    """Let every deadline of the instance that has passed take effect; returns the timers that fired."""
    if not due_timers(session, instance_id):
        return []
    petition = petition_of_instance(session, instance_id)
    # an instance staff started by hand has no petition: its scripts get no case functions
    functions = CaseFunctions(session, petition).functions() if petition is not None else {}
    running = load_instance(session, instance_id, functions)
    # asked again after loading: another worker may have fired them meanwhile (its save then came first)
    fired = [t.bpmn_id for t in due_timers(session, instance_id)]
    if not fired:
        return []
    advance(running)
    save(session, running, None)
    if petition is not None:
        sync_petition(petition, running)
    record(
        session,
        None,
        "timer.fired",
        petition=petition,
        instance_id=instance_id,
        data={"timers": fired, "steps": running.steps},
    )
    return fired


def _unique_code(session) -> str:
    while True:
        code = new_tracking_code()
        if session.scalar(select(Petition.id).where(Petition.tracking_code == code)) is None:
            return code


def intake_office(session, province_code: str) -> Agency:
    """The province's focal intake office (Văn phòng UBND tỉnh)."""
    office = session.scalar(
        select(Agency).where(Agency.province_code == province_code, Agency.is_intake_office.is_(True))
    )
    if office is None:
        raise LookupError(f"province {province_code} has no intake office")
    return office


def sync_petition(petition: Petition, running: Running):
    """Bring the petition's status in step with where its instance stands (statuses come from the model)."""
    workflow, now = running.workflow, utcnow()
    if workflow.completed:
        end = running.row.end_event
        status = element_properties(running.row.definition, end).get("status") if end else None
        petition.status = status or petition.status
        petition.closed_at = petition.closed_at or now
    else:
        active = [task.task_spec.extensions.get("properties", {}).get("status") for task in ready_user_tasks(workflow)]
        active = [s for s in active if s in STATUSES]
        if active:
            petition.status = min(active, key=STATUS_ORDER.__getitem__)
    petition.updated_at = now
