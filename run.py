"""The one entry point. `python run.py` serves the product; subcommands serve process designers.

python run.py                      serve on PORT (default 5000), embedded SQLite with demo data
python run.py validate FILE...     check BPMN files; exit 1 with file:line: element: message
python run.py deploy [FILE...]     deploy files (default: processes/*.bpmn) as new versions
"""

import argparse
import os
import sys
from pathlib import Path


def serve(_args):
    from werkzeug.serving import run_simple

    from app import create_app

    app = create_app()
    port = int(os.environ.get("PORT", "5000"))
    print(f"PAKN: http://127.0.0.1:{port}/", flush=True)
    run_simple("0.0.0.0", port, app, threaded=True)


def validate(args):
    from app.engine.validation import validate_documents
    from app.petitions.catalog import STATUSES

    documents = {}
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}: no such file", file=sys.stderr)
            return 2
        documents[name] = path.read_bytes()
    problems = validate_documents(documents, statuses=STATUSES)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"OK: {', '.join(documents)}")
    return 1 if problems else 0


def deploy(args):
    from app.config import Config
    from app.db import create_schema, make_engine, make_session_factory
    from app.engine.deployment import deploy as deploy_documents
    from app.engine.validation import validate_documents
    from app.petitions.catalog import STATUSES

    config = Config()
    files = [Path(f) for f in args.files] or sorted(config.processes_dir.glob("*.bpmn"))
    documents = {str(f): f.read_bytes() for f in files}
    problems = validate_documents(documents, statuses=STATUSES)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    engine = make_engine(config.database_url)
    create_schema(engine)
    with make_session_factory(engine)() as session:
        for result in deploy_documents(session, documents, deployed_by=os.environ.get("USER", "cli")):
            state = "deployed" if result.created else "unchanged"
            print(f"{result.process_key}: version {result.version} ({state})")
        session.commit()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    p_validate = sub.add_parser("validate", help="check BPMN files")
    p_validate.add_argument("files", nargs="+")
    p_deploy = sub.add_parser("deploy", help="deploy BPMN files as new versions")
    p_deploy.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    handlers = {"validate": validate, "deploy": deploy, None: serve}
    return handlers[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
