"""A citizen's own petitions: what he sent, where each stands, and what waits for him."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.accounts.citizen_cases import unread_by_case
from app.petitions.queries import senders_petitions
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required

bp = Blueprint("mine", __name__)
MENU = [("mine.petitions", lazy_gettext("PAKN của tôi"), ("citizen",), 14)]


@bp.get("/cua-toi")
@roles_required("citizen")
def petitions():
    rows, waiting = senders_petitions(db(), current_user)
    unread = unread_by_case(db(), current_user)
    return render_template("portal/mine.html", petitions=rows, waiting=waiting, unread_cases=unread)
