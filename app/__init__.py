"""The PAKN application: `create_app` builds it; nothing happens at import time."""

from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.attachments.files import MAX_BYTES, MAX_FILES
from app.config import Config
from app.secret_key import resolve_secret_key
from app.services import open_services

# A whole form with its files; a larger body is refused (413) from its Content-Length, before it is read.
MAX_REQUEST_BYTES = MAX_FILES * MAX_BYTES + 2 * 1024 * 1024
# One typed field of a multipart form (Flask's default is 500 kB): far above any text a form accepts (20,000
# characters), so that a longer paste reaches the form's own check, which names the field and keeps the input.
MAX_FORM_TEXT_BYTES = 2 * 1024 * 1024


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask application. It touches no data: `python run.py` and `run.py init` set the database up.

    Raises InsecureConfiguration (app/secret_key.py) in production without a strong SECRET_KEY.
    """
    config = config or Config()
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.update(
        SECRET_KEY=resolve_secret_key(config.secret_key, config.production, config.instance_dir),
        TESTING=config.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.production,  # production is served over HTTPS only
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),  # a working day idle, then log in again
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_FORM_TEXT_BYTES,
    )
    if config.trusted_proxies:
        # The client's address only from the configured proxies' headers, never from a client's own.
        n = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0, x_port=0, x_prefix=0)
    services = open_services(config)
    app.extensions["pakn"] = {
        "services": services,
        "engine": services.engine,
        "sessions": services.sessions,
        "config": config,
    }

    from app.web import register_blueprints  # noqa: PLC0415  (web imports the app's models)

    register_blueprints(app)
    return app
