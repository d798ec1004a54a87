"""A citizen's own petitions: what he sent, where each stands, and what waits for him."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required

bp = Blueprint("mine", __name__)
MENU = [("mine.petitions", lazy_gettext("PAKN của tôi"), ("citizen",), 13)]


@bp.get("/cua-toi")
@roles_required("citizen")
def petitions():
    session = db()
    rows = session.scalars(
        select(Petition).where(Petition.sender_user_id == current_user.id).order_by(Petition.received_at.desc())
    ).all()
    waiting = set(
        session.scalars(
            select(WorkItem.instance_id).where(
                WorkItem.instance_id.in_([p.instance_id for p in rows if p.instance_id]),
                WorkItem.state == "ready",
                WorkItem.candidate_groups.like("%,sender,%"),
            )
        )
    )
    return render_template("portal/mine.html", petitions=rows, waiting=waiting)
