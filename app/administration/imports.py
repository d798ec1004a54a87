"""Agencies and accounts of a province imported from a CSV or Excel file: every row checked as the forms check
it, every error named by its line, and nothing stored unless every row is right (one transaction)."""

import csv
import io
import secrets
from dataclasses import dataclass, field

from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.policy import require_admin
from app.agencies.models import Agency, Province
from app.audit.log import record
from app.errors import FieldError, FormInvalid, NotFound
from app.transaction import operation

from .accounts import add_account
from .agencies import add_agency

MAX_ROWS = 5_000  # a province has about 200 units and a few thousand staff
MAX_BYTES = 5 * 1024 * 1024
# Column names as the templates give them, with the Vietnamese headings a clerk's spreadsheet may carry.
AGENCY_COLUMNS = {
    "code": ("code", "ma", "mã", "mã cơ quan"),
    "name": ("name", "ten", "tên", "tên cơ quan"),
    "level": ("level", "cap", "cấp"),
    "parent": ("parent", "ma_cap_tren", "mã cấp trên", "cơ quan cấp trên"),
    "is_intake_office": ("is_intake_office", "dau_moi", "đầu mối", "bộ phận đầu mối tiếp nhận"),
}
ACCOUNT_COLUMNS = {
    "username": ("username", "ten_dang_nhap", "tên đăng nhập"),
    "full_name": ("full_name", "ho_ten", "họ và tên", "họ tên"),
    "email": ("email", "thu_dien_tu", "thư điện tử"),
    "phone": ("phone", "dien_thoai", "số điện thoại", "điện thoại"),
    "role": ("role", "vai_tro", "vai trò"),
    "agency": ("agency", "ma_co_quan", "mã cơ quan", "cơ quan"),
}
LEVEL_WORDS = {"tỉnh": "province", "cấp tỉnh": "province", "xã": "commune", "cấp xã": "commune"}


@dataclass
class ImportResult:
    """What an import stored: the codes or usernames, and each new account's first password (shown once)."""

    created: list[str] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)


def read_rows(file_name: str, data: bytes, columns: dict) -> list[tuple[int, dict]]:
    """(line, values by column) of a .csv (UTF-8, comma or semicolon) or .xlsx file, header on line 1."""
    if len(data) > MAX_BYTES:
        raise FormInvalid([FieldError("file", "file_size", {"label": "Tệp", "name": file_name, "limit": "5 MB"})])
    try:
        table = _xlsx(data) if file_name.lower().endswith(".xlsx") else _csv(data)
    except Exception:  # noqa: BLE001  (whatever a broken file raises, the message is the same)
        raise FormInvalid([FieldError("file", "import_unreadable", {"name": file_name})]) from None
    if not table:
        raise FormInvalid([FieldError("file", "import_empty", {"name": file_name})])
    header = [str(cell or "").strip().lower() for cell in table[0]]
    positions = {key: _position(header, names) for key, names in columns.items()}
    missing = [names[0] for key, names in columns.items() if positions[key] is None]
    if missing:
        raise FormInvalid([FieldError("file", "import_columns", {"name": file_name, "columns": ", ".join(missing)})])
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {key: _cell(cells, index) for key, index in positions.items()}
        if any(values.values()):
            rows.append((line, values))
    if len(rows) > MAX_ROWS:
        raise FormInvalid([FieldError("file", "import_rows", {"name": file_name, "limit": MAX_ROWS})])
    return rows


def _csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _position(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(name) for name in names if name in header), None)


def _cell(cells, index) -> str:
    value = cells[index] if index is not None and index < len(cells) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 0912… phone numbers and codes typed as numbers as floats
    return "" if value is None else str(value).strip()


def _province(session, province_code: str) -> Province:
    province = session.get(Province, province_code)
    if province is None:
        raise NotFound(f"province {province_code}")
    return province


def _line_errors(line: int, invalid: FormInvalid) -> list[FieldError]:
    """A row's field errors, each carrying its line for the message."""
    return [FieldError(e.field, "import_line", {"line": line, "broken": e.rule, **e.params}) for e in invalid.errors]


@operation
def import_agencies(session, actor, province_code: str, file_name: str, data: bytes) -> ImportResult:
    """Add a province's agencies from a file (code, name, level, parent, is_intake_office); all or nothing."""
    require_admin(actor, "agency.imported", {"province": province_code, "file": file_name})
    province = _province(session, province_code)
    result, errors = ImportResult(), []
    for line, values in read_rows(file_name, data, AGENCY_COLUMNS):
        values["level"] = LEVEL_WORDS.get(values["level"].lower(), values["level"])
        values["province"] = province.code
        try:
            # a refused row is refused before it adds anything; the others go on being checked
            result.created.append(add_agency(session, actor, values).code)
        except FormInvalid as invalid:
            errors += _line_errors(line, invalid)
    if errors:
        raise FormInvalid(errors)
    record(session, actor, "agency.imported", data={"province": province.code, "file": file_name, **vars(result)})
    return result


@operation
def import_accounts(session, actor, province_code: str, file_name: str, data: bytes) -> ImportResult:
    """Add staff accounts of a province's agencies from a file; each gets a random first password, shown once."""
    require_admin(actor, "account.imported", {"province": province_code, "file": file_name})
    province = _province(session, province_code)
    result, errors = ImportResult(), []
    for line, values in read_rows(file_name, data, ACCOUNT_COLUMNS):
        if values["phone"].isdigit() and len(values["phone"]) == 9:
            values["phone"] = "0" + values["phone"]  # a number cell of Excel drops the leading zero
        agency = session.scalar(select(Agency).where(Agency.code == values["agency"])) if values["agency"] else None
        if agency is not None and agency.province_code != province.code:
            errors.append(FieldError("agency", "import_line", {"line": line, "broken": "own_province_agency"}))
            continue
        password = secrets.token_urlsafe(9)
        try:
            user = add_account(session, actor, {**values, "password": password})
        except FormInvalid as invalid:
            errors += _line_errors(line, invalid)
        else:
            result.created.append(user.username)
            result.passwords[user.username] = password
    if errors:
        raise FormInvalid(errors)
    record(session, actor, "account.imported", data={"province": province.code, "file": file_name,
                                                      "created": result.created})  # fmt: skip
    return result
