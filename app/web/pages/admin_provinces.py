"""Administrators: provinces set up from nothing — enable one (intake office, policy), import its agencies and
accounts from a CSV or Excel file, and move a merged agency's open cases to its successor."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.imports import ACCOUNT_COLUMNS, AGENCY_COLUMNS, import_accounts, import_agencies
from app.administration.provinces import enable_province, policy_choices, province_rows, set_hotlines
from app.administration.queries import agencies as all_agency_rows
from app.administration.queries import province_by_code
from app.administration.successions import move_open_cases
from app.agencies.models import Province
from app.errors import FormInvalid
from app.web.tasklist.labels import field_errors, sort_key

from .. import db
from ..access import roles_required
from ..extensions import get_locale
from .admin import ADMIN

bp = Blueprint("admin_provinces", __name__, url_prefix="/quan-tri/tinh")
TEMPLATES = {
    "co-quan": (AGENCY_COLUMNS, "HN-SXD,Sở Xây dựng Thành phố Hà Nội,province,,\n"),
    "tai-khoan": (ACCOUNT_COLUMNS, "hn.xuly,Nguyễn Văn An,an@hanoi.gov.vn,0912345678,handler,HN-SXD\n"),
}


@bp.get("/")
@roles_required(ADMIN)
def provinces():
    return render_template("admin/provinces.html", rows=province_rows(db()), policies=policy_choices(db()))


def _province(code: str) -> Province:
    return province_by_code(db(), code)


def _page(province, status=200, **forms):
    session = db()
    agencies = all_agency_rows(session, province.code)
    row = next(r for r in province_rows(session) if r.province.code == province.code)
    context = {"values": {}, "errors": {}, "lines": [], "imported": None}
    context.update(forms)
    return render_template(
        "admin/province.html",
        province=province,
        row=row,
        policies=policy_choices(session),
        agencies=sorted(((a.code, f"{a.name} ({a.code})") for a in agencies), key=lambda o: sort_key(o[1])),
        all_agencies=sorted(
            ((a.code, f"{a.name} ({a.code})") for a in all_agency_rows(session)), key=lambda o: sort_key(o[1])
        ),
        **context,
    ), status


@bp.get("/<code>")
@roles_required(ADMIN)
def province(code):
    return _page(_province(code))


@bp.post("/<code>/mo-tiep-nhan")
@roles_required(ADMIN)
def enable(code):
    province = _province(code)
    values = {key: request.form.get(key, "") for key in ("policy", "intake_code", "intake_name")}
    try:
        enable_province(db(), current_user, province.code, values)
    except FormInvalid as invalid:
        return _page(province, 422, values=values, errors=field_errors(invalid))
    flash(_("%(name)s đã bắt đầu tiếp nhận phản ánh, kiến nghị.", name=province.name), "ok")
    return redirect(url_for("admin_provinces.province", code=province.code))


@bp.post("/<code>/duong-day-nong")
@roles_required(ADMIN)
def hotlines(code):
    province = _province(code)
    values = {"hotlines": request.form.get("hotlines", "")}
    try:
        set_hotlines(db(), current_user, province.code, values["hotlines"])
    except FormInvalid as invalid:
        return _page(province, 422, values=values, errors=field_errors(invalid))
    flash(_("Đã lưu đường dây nóng của %(name)s.", name=province.name), "ok")
    return redirect(url_for("admin_provinces.province", code=province.code))


@bp.post("/<code>/nhap/<kind>")
@roles_required(ADMIN)
def import_file(code, kind):
    """Agencies or accounts from an uploaded file: all rows stored, or none and every error by line."""
    province = _province(code)
    if kind not in TEMPLATES:
        abort(404)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(province, 422, errors={f"{kind}-file": _("Hãy chọn tệp .xlsx hoặc .csv.")})
    run = import_agencies if kind == "co-quan" else import_accounts
    try:
        result = run(db(), current_user, province.code, upload.filename, upload.stream.read(6 * 1024 * 1024))
    except FormInvalid as invalid:
        lines = [error.message(get_locale()) for error in invalid.errors]
        return _page(province, 422, lines=lines, failed_kind=kind)
    flash(_("Đã nhập %(count)s dòng từ tệp «%(name)s».", count=len(result.created), name=upload.filename), "ok")
    if result.passwords:  # shown once, never stored in clear: the page is the only copy
        return _page(province, imported=result)
    return redirect(url_for("admin_provinces.province", code=province.code))


@bp.get("/mau-<kind>.csv")
@roles_required(ADMIN)
def template(kind):
    if kind not in TEMPLATES:
        abort(404)
    columns, example = TEMPLATES[kind]
    text = ",".join(names[0] for names in columns.values()) + "\n" + example
    return Response(
        "\ufeff" + text,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="mau-{kind}.csv"'},
    )


@bp.post("/<code>/sap-nhap")
@roles_required(ADMIN)
def succession(code):
    province = _province(code)
    values = {key: request.form.get(key, "") for key in ("from_agency", "to_agency", "reason")}
    try:
        result = move_open_cases(db(), current_user, values)
    except FormInvalid as invalid:
        return _page(province, 422, values=values, errors=field_errors(invalid))
    flash(
        _("Đã chuyển %(cases)s hồ sơ đang xử lý (%(tasks)s công việc) sang %(to)s; thời hạn giữ nguyên.",
          cases=len(result.moved), tasks=result.tasks, to=values["to_agency"]),
        "ok",
    )  # fmt: skip
    return redirect(url_for("admin_provinces.province", code=province.code))
