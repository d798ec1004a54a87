"""Start page; the menu each role sees (the health check is pages/health.py)."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import STAFF_ROLES
from app.demo import ACCOUNTS
from app.petitions.models import Petition
from app.translation import lazy_gettext

from .. import db
from ..i18n import LANGUAGES
from ..tasklist import inbox as inbox_rows
from ..tasklist.labels import role_name, status_name, step_label

bp = Blueprint("home", __name__)

# (endpoint, Vietnamese label (msgid), roles or None for everyone, order)
MENU = [("home.index", lazy_gettext("Trang chủ"), None, 0)]


@bp.app_context_processor
def menu():
    def nav_links():
        role = current_user.role if current_user.is_authenticated else None
        return [
            (entry[0], str(entry[1]))
            for entry in current_app.extensions["pakn_menu"]
            if entry[2] is None or role in entry[2]
        ]

    return {
        "nav_links": nav_links,
        "role_label": role_name,
        "step_label": step_label,
        "status_name": status_name,
        "LANGUAGES": LANGUAGES,
    }


@bp.get("/")
def index():
    """What each visitor can do from here: a citizen's three actions, a clerk's work, the demo accounts."""
    session = db()
    config = current_app.extensions["pakn"]["config"]
    work = None
    if current_user.is_authenticated and current_user.role in STAFF_ROLES:
        rows = inbox_rows.rows(session, current_user, inbox_rows.read_filters({}))
        work = {
            "open": len(rows),
            "late": sum(1 for r in rows if r.deadline and r.deadline.urgency == "late"),
            "soon": sum(1 for r in rows if r.deadline and r.deadline.urgency == "soon"),
        }
    published = session.scalar(select(func.count(Petition.id)).where(Petition.published_at.is_not(None)))
    return render_template(
        "home.html",
        work=work,
        published=published,
        demo_accounts=ACCOUNTS if config.demo_data else None,
    )
