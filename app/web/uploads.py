"""Files sent with a form, read into `Upload`s for the operations; where the product keeps them."""

from pathlib import Path

from flask import current_app, request

from app.attachments.files import Upload


def uploads(name: str) -> list[Upload]:
    """The files of the form field `name` (an empty file input gives none); read from Werkzeug's spooled files."""
    return [Upload(f.filename or "", f.stream) for f in request.files.getlist(name) if f.filename]


def uploads_dir() -> Path:
    return current_app.extensions["pakn"]["services"].uploads_dir
