"""The PAKN application: `create_app` builds it; nothing happens at import time."""

from pathlib import Path

from flask import Flask

from app.bootstrap import prepare_database
from app.config import Config
from app.db import make_engine, make_session_factory


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask application with its database ready (schema, catalogues, processes, demo data)."""
    config = config or Config()
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(SECRET_KEY=config.secret_key, TESTING=config.testing)
    if config.database_url.startswith("sqlite:///"):
        Path(config.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.database_url)
    session_factory = make_session_factory(engine, config.calendars_dir)
    prepare_database(engine, session_factory, config.processes_dir, config.demo_data, config.forms_dir)
    app.extensions["pakn"] = {"engine": engine, "sessions": session_factory, "config": config}

    from app.web import register_blueprints  # noqa: PLC0415  (web imports the app's models)

    register_blueprints(app)
    return app
