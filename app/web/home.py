"""Start page: what runs here, in Vietnamese first."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import func, select

from app.engine.models import ProcessDefinition
from app.petitions.models import Petition

bp = Blueprint("home", __name__)

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị</title></head>
<body><h1>Hệ thống tiếp nhận, xử lý phản ánh, kiến nghị</h1>
<p>Quy trình đang triển khai: {processes}. Số PAKN đã tiếp nhận: {petitions}.</p>
</body></html>"""


@bp.get("/")
def index():
    with current_app.extensions["pakn"]["sessions"]() as session:
        processes = session.scalars(select(ProcessDefinition)).all()
        count = session.scalar(select(func.count(Petition.id)))
    names = ", ".join(f"{d.name or d.process_key} (phiên bản {d.version})" for d in processes) or "chưa có"
    return PAGE.format(processes=names, petitions=count)


@bp.get("/healthz")
def health():
    return jsonify(status="ok")
