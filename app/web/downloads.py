"""Sending a stored file so that no browser runs it: its checked type, nosniff, a sandbox, inline only for media."""

from flask import send_file

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
