"""Administrative units for the forms' scripts: the communes, wards and special zones of a province, as JSON."""

from flask import Blueprint, abort, jsonify

from app.agencies.queries import communes_of

from .. import db

bp = Blueprint("units", __name__)
CACHE_SECONDS = 3600  # the units change with a release of the package, not during the day


@bp.get("/don-vi-hanh-chinh/<province>/xa-phuong")
def communes(province):
    """[[code, name], …] of the province's communes by name (communes.js fills the commune select with them)."""
    rows = communes_of(db(), province)
    if not rows:
        abort(404)
    response = jsonify([[code, name] for code, name in rows])
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response
