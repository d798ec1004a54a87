"""What every request and response gets, installed before the blueprints: integer URLs capped to what the
database holds, security headers, the `label` filter for names from data, error pages and a short lock wait."""

from .converters import DatabaseIdConverter
from .errors import init_errors
from .headers import add_security_headers
from .i18n import label


def init_hardening(app):
    """Call before registering blueprints: their `<int:…>` rules take the converter in place when added."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.after_request(add_security_headers)
    app.jinja_env.filters["label"] = label
    init_errors(app)
