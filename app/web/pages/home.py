"""Start page; the menu each role sees (the health check is pages/health.py)."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from app.accounts.models import STAFF_ROLES
from app.demo import ACCOUNTS
from app.petitions.queries import published_count
from app.tasks.queries import workload
from app.translation import lazy_gettext

from .. import db
from ..i18n import LANGUAGES
from ..tasklist.inbox import workload_links
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
    """What each visitor can do from here: a citizen's three actions, the counts of a clerk's work (each a link to
    his inbox narrowed to it), the demo accounts."""
    session = db()
    config = current_app.extensions["pakn"]["config"]
    work = None
    if current_user.is_authenticated and current_user.role in STAFF_ROLES:
        work = workload_links(workload(session, current_user), current_user.role)
    published = published_count(session)
    return render_template(
        "home.html",
        work=work,
        published=published,
        demo_accounts=ACCOUNTS if config.demo_data else None,
    )
