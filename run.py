"""The one entry point. `python run.py` serves the product; subcommands serve process designers.

python run.py                      the embedded demo: migrate, seed demo data, serve on 127.0.0.1:PORT (5000)
python run.py init                 production set-up: migrate, catalogues, processes/, first administrator
python run.py scheduler            the timer job in its own process (production; several may run)
python run.py db upgrade|current|revision -m "..."   schema revisions (Alembic)
python run.py validate FILE...     check BPMN and .form files (and forms/); exit 1 with file:line: element: message
python run.py deploy [FILE...]     deploy files (default: processes/*.bpmn) as new versions
python run.py deadline --province P --step S --from ISO    print the due instant of step S
python run.py calendar show|add-day-off|remove-day-off|add-working-day|remove-working-day|set-deadline ...
python run.py timers               fire the timers that are due now (the server does this every few seconds)
python run.py render MODEL.bpmn -o OUT.svg   draw every diagram of a BPMN file as SVG
python run.py report [--province P | --national] --period 2026-Q3 [--format xlsx|pdf] [--out FILE]   a report
"""

import argparse
import os
import sys
from pathlib import Path


def serve(_args):
    """The embedded demo: migrate and seed the database, then serve on 127.0.0.1 with the timer scheduler."""
    from werkzeug.serving import run_simple

    from app import create_app
    from app.bootstrap import prepare_database
    from app.secret_key import InsecureConfiguration

    try:
        app = create_app()
    except InsecureConfiguration as refused:
        print(f"PAKN not started: {refused}", file=sys.stderr)
        return 2
    pakn = app.extensions["pakn"]
    config = pakn["config"]
    host, port = os.environ.get("HOST", "127.0.0.1"), _setting_number("PORT", 5000, 1, 65535)
    os.environ.setdefault("PAKN_BASE_URL", f"http://{host}:{port}")  # the links in the demo's messages
    embedded = pakn["services"].engine.dialect.name == "sqlite"
    prepare_database(pakn["services"], config.demo_data, demo_cases=embedded)  # cases on the embedded default
    if config.scheduler:
        from app.scheduler.service import start_scheduler

        start_scheduler(pakn["sessions"])
    print(f"PAKN: http://{host}:{port}/", flush=True)
    run_simple(host, port, app, threaded=True)


def open_sessions(migrated: bool = True):
    """A session factory on the configured database, for commands (the schema brought up to date first)."""
    from app.config import Config
    from app.db import make_engine, make_session_factory
    from app.schema import migrate

    config = Config()
    engine = make_engine(_prepared_url(config.database_url))
    if migrated:
        migrate(engine)
    return make_session_factory(engine, config)


def _prepared_url(url: str) -> str:
    """An embedded SQLite file's folder exists before the first connection."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def init(args):
    """Production set-up, safe to run again: migrate, catalogues, processes/, the first administrator."""
    from app.administration.accounts import create_first_administrator
    from app.bootstrap import prepare_database
    from app.config import Config
    from app.errors import FormInvalid
    from app.services import open_services
    from app.web.i18n import compile_translations

    config = Config()
    _prepared_url(config.database_url)
    services = open_services(config)
    sessions = services.sessions
    prepare_database(services, demo=False)
    compile_translations()  # here, by the installing user: gunicorn workers then never write into the code folder
    print("database migrated; catalogues, administrative units and processes/ in place; translations compiled")
    with sessions() as session:
        raw = _first_admin_values(args)
        if raw is None:
            print("first administrator: not asked for (an active administrator exists, or none was given)")
            return 0
        try:
            user = create_first_administrator(session, raw)
        except FormInvalid as invalid:
            for field, message in invalid.by_field("en").items():
                print(f"first administrator: {field}: {message}", file=sys.stderr)
            return 1
    print(f"first administrator: {user.username} created")
    return 0


def _first_admin_values(args) -> dict | None:
    """From PAKN_ADMIN_USERNAME / _PASSWORD / _NAME / _EMAIL, else asked at the terminal (when one is attached)."""
    import getpass

    from app.accounts.models import User  # noqa: F401  (models are loaded before the question is asked)

    env = os.environ
    if env.get("PAKN_ADMIN_USERNAME"):
        return {
            "username": env["PAKN_ADMIN_USERNAME"],
            "password": env.get("PAKN_ADMIN_PASSWORD", ""),
            "full_name": env.get("PAKN_ADMIN_NAME", "Quản trị hệ thống"),
            "email": env.get("PAKN_ADMIN_EMAIL", ""),
        }
    if args.no_input or not sys.stdin.isatty():
        return None
    username = input("first administrator's username (empty: none): ").strip()
    if not username:
        return None
    return {
        "username": username,
        "full_name": input("full name: ").strip(),
        "email": input("e-mail: ").strip(),
        "password": getpass.getpass("password (at least 8 characters): "),
    }


def scheduler(_args):
    """The timer job in its own process (several may run: each claims the timers it fires)."""
    import signal
    import threading

    from app.scheduler.service import start_scheduler

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    batch = _setting_number("PAKN_TIMER_BATCH", 200, 1, 10_000)  # timers claimed at a time by this process
    from app.process_memory import settle_start_up

    running = start_scheduler(open_sessions(migrated=False), batch=batch)
    settle_start_up()
    print("PAKN scheduler: firing due timers every 5 s", flush=True)
    stop.wait()
    running.shutdown(wait=True)
    return 0


def db(args):
    """Schema revisions: upgrade, show the current one, or write a new one from the models (developers)."""
    from alembic import command

    from app.config import Config
    from app.db import make_engine
    from app.schema import alembic_config, current_revision, head_revision, migrate

    engine = make_engine(_prepared_url(Config().database_url))
    if args.action == "upgrade":
        before, after = migrate(engine)
        print(f"schema: {before or 'empty'} -> {after}")
    elif args.action == "current":
        with engine.connect() as connection:
            print(f"schema: {current_revision(connection) or 'empty'} (this release: {head_revision()})")
    else:
        migrate(engine)
        with engine.begin() as connection:
            command.revision(alembic_config(connection), message=args.message, autogenerate=True, rev_id=args.id)
    return 0


def calendar(args):
    from app.deadlines.cli import run

    with open_sessions()() as session:
        return run(session, args)


def timers(_args):
    from app.scheduler.jobs import run_due_timers

    report = run_due_timers(open_sessions())
    print(f"fired {report.fired} timer(s) in {report.instances} instance(s); failed: {len(report.failed)}")
    return 1 if report.failed else 0


def _read_documents(names) -> tuple[dict[str, bytes], list[str]]:
    """(file name -> bytes) of the files named (a folder: its .bpmn files), and a message for each that cannot be
    read."""
    documents, refused = {}, []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = sorted(str(p) for p in path.glob("*.bpmn") if p.is_file())
            found, missing = _read_documents(inside)
            documents.update(found)
            refused += missing or ([] if inside else [f"{name}: no .bpmn file in this folder"])
        elif not path.is_file():
            refused.append(f"{name}: no such file")
        else:
            try:
                documents[name] = path.read_bytes()
            except OSError as err:
                refused.append(f"{name}: cannot be read: {err.strerror}")
    return documents, refused


def _deployed_keys(config) -> set[str]:
    """Processes deployed in the configured database (call activities may call them); none when it is not there."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import make_engine, make_session_factory
    from app.engine.deployment import deployed_process_keys

    url = config.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return set()
    engine = make_engine(url)
    try:
        with make_session_factory(engine, config)() as session:
            return deployed_process_keys(session)
    except SQLAlchemyError:
        return set()
    finally:
        engine.dispose()


def validate(args):
    from app.camunda_forms import FormRegistry
    from app.config import Config
    from app.engine.validation import validate_documents
    from app.petitions.catalog import STATUSES

    bpmn_files = [name for name in args.files if not name.endswith(".form")]
    form_files = [Path(name) for name in args.files if name.endswith(".form")]
    documents, refused = _read_documents(bpmn_files)
    refused += [f"{path}: no such file" for path in form_files if not path.is_file()]
    if refused:
        print("\n".join(refused), file=sys.stderr)
        return 1
    config = Config()
    # Every form of the forms folder is checked (models name them), plus any .form given on the command line.
    forms = FormRegistry.from_directory(args.forms or config.forms_dir, extra_files=form_files)
    problems = validate_documents(documents, statuses=STATUSES, forms=forms, deployed=_deployed_keys(config))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"OK: {', '.join(args.files)} ({len(forms.forms)} form(s) checked)")
    return 1 if problems else 0


def deploy(args):
    from app.config import Config
    from app.db import make_engine, make_session_factory
    from app.engine.deployment import DeploymentRefused
    from app.engine.deployment import deploy as deploy_documents
    from app.petitions.catalog import STATUSES
    from app.schema import migrate

    config = Config()
    names = args.files or [str(f) for f in sorted(config.processes_dir.glob("*.bpmn"))]
    if not names:
        print(f"nothing to deploy: no .bpmn file in {config.processes_dir}", file=sys.stderr)
        return 1
    documents, refused = _read_documents(names)
    if refused:
        print("\n".join(refused), file=sys.stderr)
        return 1
    engine = make_engine(_prepared_url(config.database_url))
    migrate(engine)
    with make_session_factory(engine, config)() as session:
        deployed_by = os.environ.get("USER", "cli")
        try:
            results = deploy_documents(
                session, documents, deployed_by=deployed_by, forms=config.forms_dir, statuses=STATUSES
            )
        except DeploymentRefused as refused:
            for problem in refused.problems:
                print(problem, file=sys.stderr)
            return 1
        for result in results:
            state = "deployed" if result.created else "unchanged"
            print(f"{result.process_key}: version {result.version} ({state})")
        session.commit()
    return 0


def render(args):
    from app.diagrams import DiagramError, render_diagrams

    path = Path(args.file)
    if not path.is_file():
        print(f"{args.file}: {'a folder: give one .bpmn file' if path.is_dir() else 'no such file'}", file=sys.stderr)
        return 1
    try:
        diagrams = render_diagrams(path.read_bytes(), file_name=str(path))
    except OSError as err:
        print(f"{path}: cannot be read: {err.strerror}", file=sys.stderr)
        return 1
    except DiagramError as err:
        print(f"cannot render: {err}", file=sys.stderr)
        return 1
    if not diagrams:
        print(f"{path}: no bpmndi:BPMNDiagram, nothing to draw (open and save it in a modeler)", file=sys.stderr)
        return 1
    out = Path(args.output) if args.output else path.with_suffix(".svg")
    for number, diagram in enumerate(diagrams, 1):
        # The first diagram gets the name asked for; drill-down diagrams follow as OUT-2.svg, OUT-3.svg, ...
        target = out if number == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(diagram.svg, encoding="utf-8")
        except OSError as err:
            print(f"{target}: cannot be written: {err.strerror}", file=sys.stderr)
            return 1
        print(f"{target}: {diagram.name}")
    return 0


def report(args):
    """A province's (or the country's) report of a month, quarter or year, written to a file."""
    from app.agencies.models import Province
    from app.reports.archive import file_name, render_report
    from app.reports.content import NATIONAL
    from app.reports.periods import PeriodInvalid, parse_period

    try:
        period = parse_period(args.period)
    except PeriodInvalid as invalid:
        print(f"--period: {invalid}", file=sys.stderr)
        return 1
    province = None if args.national else args.province
    with open_sessions()() as session:
        if province and session.get(Province, province) is None:
            print(f"--province: no province has the code «{province}»", file=sys.stderr)
            return 1
        content = render_report(session, province, period, args.format)
    out = Path(args.out or file_name(province or NATIONAL, period.code, args.format))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    except OSError as err:
        print(f"--out: {out} cannot be written: {err.strerror}", file=sys.stderr)
        return 1
    print(f"{out}: {period.label}, {province or NATIONAL}, {len(content)} bytes")
    return 0


def _report_parser(sub):
    p_report = sub.add_parser("report", help="write a province's or the country's report of a period")
    place = p_report.add_mutually_exclusive_group()
    place.add_argument("--province", help="a province's code, e.g. quang-ngai (none: the country)")
    place.add_argument("--national", action="store_true", help="the country's report (the default)")
    p_report.add_argument("--period", required=True, help="2026-09 (month), 2026-Q3 (quarter) or 2026 (year)")
    p_report.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
    p_report.add_argument("--out", help="the file to write (default: bao-cao-PLACE-PERIOD.FORMAT here)")


def _calendar_parser(sub):
    p_calendar = sub.add_parser("calendar", help="show or change working-day calendars and deadline values")
    actions = p_calendar.add_subparsers(dest="action", required=True)
    p_show = actions.add_parser("show", help="days off and worked days in force, with their legal basis")
    p_show.add_argument("--calendar", default="national", help="national or a province code")
    p_show.add_argument("--year", type=int)
    for name in ("add-day-off", "remove-day-off", "add-working-day", "remove-working-day"):
        p = actions.add_parser(name)
        p.add_argument("--calendar", required=True, help="national or a province code")
        p.add_argument("--date", required=True, help="YYYY-MM-DD")
        p.add_argument("--name", help="what the day is, e.g. Nghỉ Tết Dương lịch (hoán đổi)")
        p.add_argument("--basis", help="legal basis, e.g. Thông báo số …/TB-VPCP")
        _change_options(p)
    p_set = actions.add_parser("set-deadline", help="a province's own period for a step")
    p_set.add_argument("--province", required=True)
    p_set.add_argument("--step", required=True)
    p_set.add_argument("--days", type=int, required=True)
    p_set.add_argument("--unit", default="working", help="working or calendar")
    p_set.add_argument("--remind-before", type=int, default=1, help="working days before the due day")
    p_set.add_argument("--basis")
    _change_options(p_set)


def _change_options(p):
    p.add_argument("--reason", required=True, help="why the change is made (audited)")
    p.add_argument("--as", dest="actor", required=True, help="the administrator's username (audited)")
    p.add_argument("--recompute", action="store_true", help="also move the running deadlines the change affects")
    p.add_argument("--yes", action="store_true", help="apply without asking")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    p_validate = sub.add_parser("validate", help="check BPMN files and Camunda Forms (.form)")
    p_validate.add_argument("files", nargs="+")
    p_validate.add_argument("--forms", help="folder of the .form files models name (default: forms/)")
    p_deploy = sub.add_parser("deploy", help="deploy BPMN files as new versions")
    p_deploy.add_argument("files", nargs="*")
    p_deadline = sub.add_parser("deadline", help="print the due instant of a step")
    p_deadline.add_argument("--province", required=True)
    p_deadline.add_argument("--step", required=True, help="reject, request-info, forward, answer, progress, publish")
    p_deadline.add_argument("--from", dest="received", required=True, help="receipt instant, ISO 8601")
    _calendar_parser(sub)
    _report_parser(sub)
    sub.add_parser("timers", help="fire the timers that are due now")
    p_init = sub.add_parser("init", help="production set-up: migrate, catalogues, processes/, first administrator")
    p_init.add_argument("--no-input", action="store_true", help="never ask at the terminal")
    sub.add_parser("scheduler", help="run the timer job in this process until stopped (several may run)")
    p_db = sub.add_parser("db", help="schema revisions (Alembic)")
    p_db.add_argument("action", choices=["upgrade", "current", "revision"])
    p_db.add_argument("-m", "--message", default="schema change", help="revision: what it changes")
    p_db.add_argument("--id", help="revision: its id, e.g. 0003_communes")
    p_render = sub.add_parser("render", help="draw a BPMN file's diagrams as SVG")
    p_render.add_argument("file")
    p_render.add_argument("-o", "--output", help="SVG to write (default: FILE.svg); next diagrams: OUT-2.svg …")
    args = parser.parse_args(argv)
    handlers = {"validate": validate, "deploy": deploy, "deadline": calendar, "calendar": calendar, "timers": timers}
    handlers.update(render=render, init=init, scheduler=scheduler, db=db, report=report)
    handlers[None] = serve
    try:
        return handlers[args.command](args) or 0
    except KeyboardInterrupt:
        print("run.py: interrupted; nothing more was done.", file=sys.stderr)
        return 130
    except EOFError:
        print("run.py: no answer could be read (no terminal): give the option that answers it, e.g. --yes.",
              file=sys.stderr)  # fmt: skip
        return 2
    except (OperatorError, *_setting_errors()) as err:
        print(f"run.py: {err}", file=sys.stderr)
        return 2
    except _operator_errors() as err:
        print(f"run.py: the database cannot be used ({_first_line(err)}); check DATABASE_URL.", file=sys.stderr)
        return 2


class OperatorError(Exception):
    """A setting or a database the operator must fix: one line, no traceback."""


def _setting_number(name: str, default: int, low: int, high: int) -> int:
    """An integer setting from the environment, or a one-line refusal naming it and its range."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise OperatorError(f"{name}={text!r}: must be a whole number from {low} to {high}.")
    return int(text)


def _operator_errors():
    """The errors that mean the database setting is wrong, not the code: a database that cannot be reached or read,
    a URL that cannot be parsed, a driver that is not installed."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, InterfaceError, OperationalError  # noqa: PLC0415

    return ArgumentError, DatabaseError, InterfaceError, OperationalError, ModuleNotFoundError


def _setting_errors():
    """Settings refused at start with their own message (mail and SMS transports)."""
    from app.messaging.transports import TransportSettingRefused  # noqa: PLC0415

    return (TransportSettingRefused,)


def _first_line(err: BaseException) -> str:
    """The error's first line; never the URL itself, which may hold a password."""
    from sqlalchemy.exc import ArgumentError  # noqa: PLC0415

    if isinstance(err, ArgumentError):
        return "it is not a database URL"
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return text[0] if text else type(err).__name__


if __name__ == "__main__":
    sys.exit(main())
