"""Reports made and kept: rendering in a format, the scheduler's run that archives the last month's, quarter's and
year's reports of every province and of the country from the first working day after the period, and who may read
the archive. Each place's period and format is written once: the first worker to insert its row keeps it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.agencies.models import Province
from app.agencies.queries import receiving_provinces
from app.audit.log import record
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.errors import NotFound, PermissionDenied
from app.transaction import operation

from .content import COUNTRY, NATIONAL, build_report
from .excel import report_xlsx
from .models import ArchivedReport
from .pdf import report_pdf
from .periods import ReportPeriod, last_periods, parse_period

FORMATS = {"xlsx": report_xlsx, "pdf": report_pdf}
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
READERS = ("leader", "intake", "auditor")


def render_report(session, province: str | None, period: ReportPeriod, fmt: str, now=None) -> bytes:
    """The report of a province (None: the country) for the period, as the bytes of an xlsx or pdf file."""
    return FORMATS[fmt](build_report(session, province, period, now))


def file_name(province: str, period: str, fmt: str) -> str:
    """bao-cao-quang-ngai-2026-Q3.pdf: ASCII only (codes and periods are), safe in a Content-Disposition."""
    return f"bao-cao-{province}-{period}.{fmt}"


def due_reports(session, day) -> list[tuple[str, ReportPeriod]]:
    """(place, period) whose first working day after the period has come by `day` and that are not archived yet."""
    book = current_book(session)
    archived = set(session.execute(select(ArchivedReport.province_code, ArchivedReport.period)).all())
    places = [NATIONAL, *(code for code, _name in receiving_provinces(session))]
    due = []
    for place in places:
        calendar = book.calendar(None if place == NATIONAL else place)
        for period in last_periods(day):
            if calendar.next_working_day(period.period.end) <= day and (place, period.code) not in archived:
                due.append((place, period))
    return due


def archive_due_reports(session, now: datetime | None = None, worker: str | None = None) -> int:
    """Generate and archive every due report in each format (the scheduler's job); the number archived. Running
    twice, or on two workers at once, archives each once."""
    now = now or utcnow()
    written = 0
    for place, period in due_reports(session, now.astimezone(VIETNAM).date()):
        report = build_report(session, place, period, now)
        contents = {fmt: render(report) for fmt, render in FORMATS.items()}  # before any write: no lock held meanwhile
        for fmt, content in contents.items():
            try:
                with session.begin_nested():
                    row = ArchivedReport(
                        province_code=place, period=period.code, format=fmt, content=content, generated_at=now,
                        generated_by=worker,
                    )  # fmt: skip
                    session.add(row)
                    session.flush()
                    record(session, None, "report.archived", data={**_described(row), "worker": worker})
            except IntegrityError:
                continue  # another worker archived it first
            written += 1
        session.commit()
    return written


def _described(row: ArchivedReport) -> dict:
    return {"report": row.id, "province": row.province_code, "period": row.period, "format": row.format}


def readable_places(user) -> set[str] | None:
    """The places whose reports `user` may read: None for every place (auditors), his province for a leader or the
    intake office, nothing for anyone else."""
    if user is None or not user.active or user.role not in READERS:
        return set()
    if user.role == "auditor":
        return None
    province = user.agency.province_code if user.agency is not None else None
    return {province} if province else set()


@dataclass
class Listed:
    """An archived report as the page lists it."""

    id: int
    place: str
    period: str  # its label: Quý 3/2026
    format: str
    generated_at: datetime


def archived_reports(session, user) -> list[Listed]:
    """The archive `user` may read, newest first, the country's before the provinces' (the bytes not loaded)."""
    places = readable_places(user)
    query = select(ArchivedReport).order_by(
        ArchivedReport.generated_at.desc(), ArchivedReport.province_code, ArchivedReport.period, ArchivedReport.format
    )
    if places is not None:
        query = query.where(ArchivedReport.province_code.in_(places))
    names = dict(session.execute(select(Province.code, Province.name)).all())
    rows = session.scalars(query).all()
    listed = [
        Listed(r.id, names.get(r.province_code, str(COUNTRY)), parse_period(r.period).label, r.format, r.generated_at)
        for r in rows
    ]
    return sorted(listed, key=lambda r: r.place != str(COUNTRY))  # stable: the country's first, newest first


@dataclass
class Download:
    name: str
    media_type: str
    content: bytes


@operation
def download_report(session, user, report_id: int) -> Download:
    """An archived report's file for `user`, the download audited; refused (and audited) outside his places."""
    row = session.get(ArchivedReport, report_id)
    if row is None:
        raise NotFound(f"no archived report {report_id}")
    places = readable_places(user)
    if places is not None and row.province_code not in places:
        raise PermissionDenied(
            "the report is of a place the user may not read", actor=user, action="report.download", data=_described(row)
        )
    record(session, user, "report.download", data=_described(row))
    return Download(file_name(row.province_code, row.period, row.format), MEDIA_TYPES[row.format], row.content)
