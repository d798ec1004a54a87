"""`/healthz` for load balancers and monitoring: 200 when the database answers at this release's revision."""

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from app.schema import current_revision, head_revision

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    started = time.perf_counter()
    try:
        with current_app.extensions["pakn"]["engine"].connect() as connection:
            revision = current_revision(connection)
    except SQLAlchemyError as err:
        return jsonify(status="unavailable", database=type(err).__name__), 503
    milliseconds = round((time.perf_counter() - started) * 1000, 1)
    schema_ok = revision == head_revision()
    body = {"status": "ok" if schema_ok else "unavailable", "database": "ok", "schema": revision,
            "expected_schema": head_revision(), "database_ms": milliseconds}  # fmt: skip
    return jsonify(body), 200 if schema_ok else 503
