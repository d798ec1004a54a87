"""The senders' ratings of answers (seed 002 Art. 12.3), for those who must see them: the answering agency's
leaders, the province's intake office and auditors (app/petitions/ratings.py may_see_rating)."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.petitions.ratings import ratings_seen_by
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required

bp = Blueprint("ratings", __name__)
RATING_READERS = ("leader", "intake", "auditor")
MENU = [("ratings.index", lazy_gettext("Đánh giá của người gửi"), RATING_READERS, 30)]


@bp.get("/danh-gia")
@roles_required(*RATING_READERS)
def index():
    stars = request.args.get("sao", type=int)
    stars = stars if stars in range(1, 6) else None
    return render_template("cases/ratings.html", rows=ratings_seen_by(db(), current_user, stars), stars=stars)
