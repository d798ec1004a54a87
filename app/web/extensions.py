"""Flask-Login (sessions), Flask-WTF (CSRF on every form), Flask-Babel (Vietnamese first, English switch)."""

from datetime import timedelta

from flask import g, request, session
from flask_babel import Babel, get_translations
from flask_babel import get_locale as babel_locale
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from app.accounts.login import signed_in_user
from app.translation import use_language_source

from . import db
from .i18n import LANGUAGES, compile_translations, format_local, request_language
from .input_safety import refuse_control_characters

LOGIN_TOKEN = "login"  # the session cookie's key for the login session's token
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def get_locale() -> str:
    lang = session.get("lang") or request.cookies.get("lang")
    return lang if lang in LANGUAGES else "vi"


def init_extensions(app):
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))  # the cookie's idle lifetime
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_REFRESH_EACH_REQUEST", True)  # idle time restarts at every request
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tied to the session instead: long forms stay valid
    compile_translations()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_translations.directory)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Ho_Chi_Minh"
    babel.init_app(app, locale_selector=get_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    app.jinja_env.install_gettext_callables(
        lambda message: request_catalogue().ugettext(message),
        lambda singular, plural, n: request_catalogue().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, message: request_catalogue().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: request_catalogue().unpgettext(context, singular, plural, n),
    )
    use_language_source(request_language)  # lazy labels of the domain speak the request's language
    app.before_request(refuse_control_characters)  # before CSRF and every page: nothing reads a NUL
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page says why by itself
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["get_locale"] = get_locale


def request_catalogue():
    """The catalogue of the request's language, found once per language per request: Flask-Babel looks it up
    again on every call (17 µs), a long list's page asks for a thousand texts."""
    found = g.setdefault("catalogues", {})
    locale = str(babel_locale())
    if locale not in found:
        found[locale] = get_translations()
    return found[locale]


@login_manager.user_loader
def load_user(user_id: str):
    """The user of this browser's login session, while that session is open and the account active."""
    return signed_in_user(db(), user_id, session.get(LOGIN_TOKEN))
