"""A province set up from nothing: enabled with its focal intake office and its deadline policy.

A province takes petitions once it exists today and has its intake office (app/agencies/queries.py). Its policy
is its calendar file's when it has one (calendars/provinces/), otherwise the one chosen here (national by default).
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.policy import require_admin
from app.agencies.hotlines import MAX_LINES, parse_hotlines
from app.agencies.models import Agency, Commune, Province
from app.agencies.queries import is_receiving
from app.audit.log import record
from app.calendars.store import bump_revision, current_book
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.models import Petition
from app.transaction import operation
from app.translation import lazy_gettext

from .agencies import add_agency
from .rules import text

LABELS = {
    "policy": lazy_gettext("Chính sách thời hạn"),
    "intake_code": lazy_gettext("Mã Văn phòng UBND (bộ phận đầu mối)"),
    "intake_name": lazy_gettext("Tên Văn phòng UBND (bộ phận đầu mối)"),
}


@dataclass
class ProvinceRow:
    """A province as the administrator's list shows it."""

    province: Province
    receiving: bool
    has_file: bool
    policy: str
    agencies: int
    accounts: int
    communes: int
    open_cases: int


def province_rows(session) -> list[ProvinceRow]:
    """Every province with what it has: current ones by name, then those that no longer exist (merged)."""
    book = current_book(session)

    def counts(query) -> dict:
        return dict(session.execute(query).all())

    agencies = counts(select(Agency.province_code, func.count(Agency.id)).group_by(Agency.province_code))
    accounts = counts(
        select(Agency.province_code, func.count(User.id))
        .select_from(User)
        .join(Agency, User.agency_id == Agency.id)
        .group_by(Agency.province_code)
    )
    communes = counts(select(Commune.province_code, func.count(Commune.code)).group_by(Commune.province_code))
    open_cases = counts(
        select(Petition.province_code, func.count(Petition.id))
        .where(Petition.closed_at.is_(None))
        .group_by(Petition.province_code)
    )
    rows = [
        ProvinceRow(
            p,
            is_receiving(session, p.code),
            book.has_file(p.code),
            book.policy_code(p.code),
            agencies.get(p.code, 0),
            accounts.get(p.code, 0),
            communes.get(p.code, 0),
            open_cases.get(p.code, 0),
        )
        for p in session.scalars(select(Province))
    ]
    return sorted(rows, key=lambda r: (r.province.official_code is None, r.province.name))


def policy_choices(session) -> list[tuple[str, str]]:
    """(code, title) of the deadline policies in calendars/policies/."""
    policies = current_book(session).files.policies
    return sorted((code, spec.name or code) for code, spec in policies.items())


@operation
def enable_province(session, actor, province_code: str, raw: dict) -> Province:
    """Open a province to petitions: create its focal intake office and set its policy; audited."""
    values = {key: text(raw, key) for key in LABELS}
    require_admin(actor, "province.enabled", {"province": province_code, **values})
    province = session.get(Province, province_code)
    if province is None or province.official_code is None:
        raise NotFound(f"province {province_code}")
    if is_receiving(session, province.code):
        raise FormInvalid([FieldError("intake_code", "province_receiving", {"name": province.name})])
    book, errors = current_book(session), []
    policy = values["policy"] or book.policy_code(province.code)
    label = {"label": LABELS["policy"]}
    if policy not in book.files.policies:
        errors.append(FieldError("policy", "enum", {**label, "allowed": ", ".join(book.files.policies)}))
    elif book.has_file(province.code) and policy != book.policy_code(province.code):
        errors.append(FieldError("policy", "policy_from_file", {**label, "province": province.code}))
    office = {"code": values["intake_code"], "name": values["intake_name"] or f"Văn phòng UBND {province.name}",
              "level": "province", "province": province.code, "parent": "", "is_intake_office": True}  # fmt: skip
    try:
        add_agency(session, actor, office)  # checks everything before it adds
    except FormInvalid as invalid:
        names = {"code": "intake_code", "name": "intake_name"}
        errors += [FieldError(names.get(e.field, e.field), e.rule, e.params) for e in invalid.errors]
    if errors:
        raise FormInvalid(errors)
    before = province.policy
    if policy != before:
        province.policy = policy
        bump_revision(session)  # every process's calendar book takes the chosen policy
    audit = {"province": province.code, "policy": policy, "policy_before": before, "intake_office": office["code"]}
    record(session, actor, "province.enabled", data=audit)
    return province


HOTLINES_LABEL = lazy_gettext("Số điện thoại đường dây nóng của tỉnh")


@operation
def set_hotlines(session, actor, province_code: str, raw_text: str) -> Province:
    """The province's own emergency and information numbers, shown before the submission form; audited."""
    value = "\n".join(line.strip() for line in (raw_text or "").splitlines() if line.strip())
    require_admin(actor, "province.hotlines_changed", {"province": province_code, "hotlines": value})
    province = session.get(Province, province_code)
    if province is None:
        raise NotFound(f"province {province_code}")
    hotlines, bad = parse_hotlines(value)
    if bad or len(hotlines) > MAX_LINES:
        lines = ", ".join(map(str, bad)) or str(MAX_LINES + 1)
        raise FormInvalid([FieldError("hotlines", "hotline_lines", {"label": HOTLINES_LABEL, "lines": lines,
                                                                    "limit": MAX_LINES})])  # fmt: skip
    before, province.hotlines = province.hotlines, value or None
    record(session, actor, "province.hotlines_changed", data={"province": province.code, "before": before,
                                                              "after": province.hotlines})  # fmt: skip
    return province
