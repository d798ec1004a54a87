"""Setting a database up: migrate the schema, fill the catalogues and the administrative units, deploy processes/,
seed demo data when asked.

`python run.py` (the embedded demo) and `python run.py init` (production) do this; `create_app` never does.
"""

from pathlib import Path

from sqlalchemy import select

from app.agencies.units import align_policies, load_administrative_units
from app.calendars.store import current_book
from app.engine.deployment import deploy
from app.petitions.catalog import DEFAULT_FIELDS, DEFAULT_HIDE_REASONS, STATUSES
from app.petitions.models import Field, HideReason, PetitionStatus
from app.schema import migrate


def process_documents(directory: Path) -> dict[str, bytes]:
    """Every BPMN file of a folder, by path."""
    return {str(path.relative_to(directory.parent)): path.read_bytes() for path in sorted(directory.glob("*.bpmn"))}


def prepare_database(services, demo: bool, demo_cases: bool = False):
    """Idempotent: safe at every start, on the database and folders of `services` (app/services.py).

    `demo_cases`: also a few dozen cases in every state, on a database that has none (the embedded demo)."""
    migrate(services.engine)
    with services.sessions() as session:
        book = current_book(session)  # the calendar files are checked at start: a wrong file stops here, with its line
        seed_catalogues(session)
        load_administrative_units(session, book.policy_code)
        align_policies(session, book.policy_code, book.has_file)
        deploy(session, process_documents(services.processes_dir), deployed_by="system", forms=services.forms_dir)
        session.commit()
        if demo:
            from app.demo import seed_demo  # noqa: PLC0415  (demo code is not loaded in production)

            seed_demo(session)
            session.commit()
        if demo and demo_cases:
            from app.demo_cases import seed_demo_cases  # noqa: PLC0415

            seed_demo_cases(session)


def seed_catalogues(session):
    """Statuses (from the code's list, so that labels follow releases) and the default fields."""
    for order, (code, (label, is_open)) in enumerate(STATUSES.items()):
        label_vi, label_en = label.translate("vi"), label.translate("en")  # the columns mirror the catalogue
        session.merge(
            PetitionStatus(code=code, label_vi=label_vi, label_en=label_en, is_open=is_open, sort_order=order)
        )
    if session.scalar(select(Field.code).limit(1)) is None:
        session.add_all(Field(code=code, name=name) for code, name in DEFAULT_FIELDS.items())
    if session.scalar(select(HideReason.code).limit(1)) is None:
        session.add_all(
            HideReason(code=code, name=name, needs_text=needs_text)
            for code, (name, needs_text) in DEFAULT_HIDE_REASONS.items()
        )
