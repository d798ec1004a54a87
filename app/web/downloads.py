"""Sending a stored file so that no browser runs it: its checked type, nosniff, a sandbox, inline only for media."""

import re
import unicodedata
from urllib.parse import quote

from flask import Response, send_file

from app.attachments.files import path_of, safe_name

from .uploads import uploads_dir

# Shown in the page (photos and videos a clerk looks at); everything else is downloaded.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm", "video/quicktime"}
KNOWN_TYPES = INLINE_TYPES | {"image/heic", "application/pdf"}
# A file opened on its own is a document with no rights: no script, no form, no plugin, nothing fetched.
FILE_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


def send_attachment(row, *, public: bool):
    """The response for an attachment row; `public` files may be cached by the browser, staff files not."""
    content_type = row.content_type if row.content_type in KNOWN_TYPES else "application/octet-stream"
    response = send_file(
        path_of(uploads_dir(), row.sha256),
        mimetype=content_type,
        download_name=safe_name(row.file_name),
        as_attachment=content_type not in INLINE_TYPES,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = "private, max-age=0" if public else "private, no-store"
    return response


def generated_file(content: bytes, media_type: str, name: str) -> Response:
    """A generated file to save, never shown in the page: its ASCII name quoted, and the name as given too
    (RFC 6266's filename*) when that differs; nosniff, not cached. A header holds Latin-1 only, and a process id
    may be Vietnamese."""
    response = Response(content, content_type=media_type)
    plain = ascii_name(name)
    given = "" if plain == name else f"; filename*=UTF-8''{quote(name)}"
    response.headers["Content-Disposition"] = f'attachment; filename="{plain}"{given}'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def ascii_name(name: str) -> str:
    """The name without diacritics ("đề_nghị" → "de_nghi"), anything else outside [A-Za-z0-9._-] made "_"."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^A-Za-z0-9._-]", "_", "".join(c for c in folded if not unicodedata.combining(c)))
