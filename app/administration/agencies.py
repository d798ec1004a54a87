"""Agencies (cơ quan): created and edited by administrators. A code is fixed once created: running cases,
work items and task data refer to agencies by code."""

import re

from sqlalchemy import func, select

from app.accounts.policy import require_admin
from app.agencies.models import AGENCY_LEVELS, Agency, Province
from app.audit.log import record
from app.errors import FieldError, FormInvalid, NotFound
from app.transaction import operation
from app.translation import lazy_gettext

from .rules import check_text, has_error, text, truthy

LABELS = {
    "code": lazy_gettext("Mã cơ quan"),
    "name": lazy_gettext("Tên cơ quan"),
    "level": lazy_gettext("Cấp"),
    "parent": lazy_gettext("Cơ quan cấp trên"),
    "province": lazy_gettext("Tỉnh, thành phố"),
    "is_intake_office": lazy_gettext("Bộ phận đầu mối tiếp nhận"),
}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,49}$")
LEVELS_WITH_PROVINCE = ("province", "commune")


def snapshot(agency: Agency) -> dict:
    """What an audit entry keeps of an agency."""
    return {
        "code": agency.code,
        "name": agency.name,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent else None,
        "province": agency.province_code,
        "is_intake_office": bool(agency.is_intake_office),
    }


def form_values(agency: Agency) -> dict:
    """An agency as its edit form shows it."""
    return {k: ("1" if v is True else "" if v in (None, False) else v) for k, v in snapshot(agency).items()}


def submitted(values: dict) -> dict:
    """Form text trimmed; the intake-office box as a boolean."""
    cleaned = {key: text(values, key) for key in LABELS}
    cleaned["is_intake_office"] = truthy(values.get("is_intake_office"))
    return cleaned


def _refuse(errors, field, rule, **params):
    errors.append(FieldError(field, rule, {"label": LABELS[field], **params}))


def _is_under(candidate: Agency, agency: Agency) -> bool:
    """Is `candidate` the agency itself or below it (so that it cannot become its parent)?"""
    seen = set()
    while candidate is not None and candidate.id not in seen:
        if candidate.id == agency.id:
            return True
        seen.add(candidate.id)
        candidate = candidate.parent
    return False


def _check_code(session, errors, code):
    if not code:
        _refuse(errors, "code", "required")
    elif not CODE.match(code):
        _refuse(errors, "code", "code_format")
    elif session.scalar(select(Agency.id).where(func.lower(Agency.code) == code.lower())) is not None:
        _refuse(errors, "code", "unique", value=code)


def _clean(session, values: dict, agency: Agency | None) -> tuple[dict, Agency | None]:
    """The checked values and the parent agency, or FormInvalid naming every wrong field."""
    errors = []
    if agency is None:
        _check_code(session, errors, values["code"])
    check_text(errors, "name", values["name"], LABELS["name"], 300, low=2)
    level, province = values["level"], values["province"]
    if not level:
        _refuse(errors, "level", "required")
    elif level not in AGENCY_LEVELS:
        _refuse(errors, "level", "enum", allowed=", ".join(AGENCY_LEVELS))
    if province and session.get(Province, province) is None:
        _refuse(errors, "province", "ref", value=province)
    elif not province and level in LEVELS_WITH_PROVINCE:
        _refuse(errors, "province", "required")
    parent = None
    if values["parent"]:
        parent = session.scalar(select(Agency).where(Agency.code == values["parent"]))
        if parent is None:
            _refuse(errors, "parent", "ref", value=values["parent"])
        elif agency is not None and _is_under(parent, agency):
            _refuse(errors, "parent", "parent_cycle")
    if values["is_intake_office"]:
        _check_intake_office(session, errors, level, province, agency)
    if errors:
        raise FormInvalid(errors)
    return values, parent


def _check_intake_office(session, errors, level, province, agency):
    """One focal intake office per province: petitions of the province start there."""
    if level != "province":
        _refuse(errors, "is_intake_office", "intake_office_level")
        return
    if not province or has_error(errors, "province"):
        return
    other = session.scalar(
        select(Agency).where(
            Agency.province_code == province,
            Agency.is_intake_office.is_(True),
            Agency.id != (agency.id if agency is not None else -1),
        )
    )
    if other is not None:
        _refuse(errors, "is_intake_office", "intake_office_taken", name=other.name)


def _apply(agency: Agency, values: dict, parent: Agency | None):
    agency.name, agency.level = values["name"], values["level"]
    agency.province_code = values["province"] or None
    agency.parent, agency.is_intake_office = parent, values["is_intake_office"]


@operation
def create_agency(session, actor, values: dict) -> Agency:
    """Add an agency; audited with what was stored."""
    require_admin(actor, "agency.created", submitted(values))
    return add_agency(session, actor, values)


def add_agency(session, actor, values: dict) -> Agency:
    """Check and add an agency in the caller's transaction (one form, or one row of an import); audited."""
    values, parent = _clean(session, submitted(values), None)
    agency = Agency(code=values["code"])
    _apply(agency, values, parent)
    session.add(agency)
    session.flush()
    record(session, actor, "agency.created", data={"before": None, "after": snapshot(agency)})
    return agency


@operation
def update_agency(session, actor, agency_id: int, values: dict) -> Agency:
    """Change an agency's name, level, parent, province or intake-office mark; audited with before/after."""
    values = submitted(values)
    require_admin(actor, "agency.updated", {"agency_id": agency_id, **values})
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id}")
    values, parent = _clean(session, values, agency)
    before = snapshot(agency)
    _apply(agency, values, parent)
    after = snapshot(agency)
    if after != before:
        session.flush()
        record(session, actor, "agency.updated", data={"code": agency.code, "before": before, "after": after})
    return agency
