"""The calendar book in force for a database: files (read once per process) plus the stored changes."""

from functools import lru_cache
from pathlib import Path

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from app.services import services_of

from .book import NATIONAL, CalendarBook, DeadlineChange
from .files import CalendarFiles, DayEntry, Period, load_files
from .models import CalendarDay, CalendarRevision, DeadlineSetting

REVISION = "calendar_revision"  # session.info key: the revision read in this transaction
_READ_REVISION = select(CalendarRevision.number).where(CalendarRevision.id == 1)  # built once: its cache key kept


@lru_cache(maxsize=8)
def files_in(directory: str) -> CalendarFiles:
    return load_files(Path(directory))


def calendars_dir(session) -> Path:
    """Where the calendar files are: the settings of the session's Services."""
    return services_of(session).calendars_dir


def revision(session) -> int:
    """The calendars' revision, read once per transaction: a list's rows share one look-up, not one each."""
    number = session.info.get(REVISION)
    if number is None:
        number = session.info[REVISION] = session.scalar(_READ_REVISION) or 0
    return number


@event.listens_for(Session, "after_transaction_end")
def _forget_revision(session, transaction):
    session.info.pop(REVISION, None)  # the next transaction may see another process's change


def bump_revision(session):
    """Every process sees the change at its next deadline computation (same transaction as the change)."""
    session.info.pop(REVISION, None)
    if (
        session.execute(
            update(CalendarRevision).where(CalendarRevision.id == 1).values(number=CalendarRevision.number + 1)
        ).rowcount
        == 0
    ):
        session.add(CalendarRevision(id=1, number=1))


def current_book(session) -> CalendarBook:
    """The calendars in force, rebuilt only when the stored revision changed (cached by the session's Services)."""
    services = services_of(session)
    directory = str(services.calendars_dir)
    key = (directory, revision(session))
    book = services.books.get(key)
    if book is None:
        book = stored_book(session, files_in(directory))
        with services.lock:
            services.books.clear()  # only the newest revision is worth keeping
            services.books[key] = book
    return book


def stored_book(session, files: CalendarFiles) -> CalendarBook:
    days = session.scalars(select(CalendarDay).order_by(CalendarDay.id)).all()
    settings = session.scalars(select(DeadlineSetting).order_by(DeadlineSetting.id)).all()
    return CalendarBook(
        files,
        [_entry(d) for d in days if d.calendar == NATIONAL],
        [(d.calendar, _entry(d)) for d in days if d.calendar != NATIONAL],
        [DeadlineChange(s.province, s.step, Period(s.days, s.unit, s.basis, s.remind_before)) for s in settings],
        policies=_chosen_policies(session, files),
    )


def _chosen_policies(session, files: CalendarFiles) -> dict[str, str]:
    """Policies stored for provinces without a file (set when an administrator enables the province)."""
    from app.agencies.models import Province  # noqa: PLC0415  (calendars know provinces only by code)

    rows = session.execute(select(Province.code, Province.policy)).all()
    return {code: policy for code, policy in rows if code not in files.provinces and policy in files.policies}


def _entry(day: CalendarDay) -> DayEntry:
    return DayEntry(day.day, day.off, day.name, day.basis, "admin")
