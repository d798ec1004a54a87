"""Flask-Login (sessions), Flask-WTF (CSRF on every form), Flask-Babel (Vietnamese first, English switch)."""

from datetime import timedelta

from flask import request, session
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from app.accounts.models import User

from . import db
from .i18n import LANGUAGES, compile_translations, format_local

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def get_locale() -> str:
    lang = session.get("lang") or request.cookies.get("lang")
    return lang if lang in LANGUAGES else "vi"


def init_extensions(app):
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # tied to the session instead: long forms stay valid
    compile_translations()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_translations.directory)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Ho_Chi_Minh"
    babel.init_app(app, locale_selector=get_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page says why by itself
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["get_locale"] = get_locale


@login_manager.user_loader
def load_user(user_id: str):
    user = db().get(User, int(user_id))
    return user if user is not None and user.active else None
