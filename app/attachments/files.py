"""Checking and storing uploaded files. Types are read from the bytes (a renamed .exe is refused)."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.errors import FieldError

from .models import Attachment

MAX_FILES = 5
MAX_BYTES = 20 * 1024 * 1024  # per file: a short phone video fits, a film does not
LABEL = "Tệp đính kèm"


@dataclass
class Upload:
    file_name: str
    data: bytes
    content_type: str = ""


def sniff(data: bytes) -> str | None:
    """The content type the bytes show: photos, videos, PDF; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "image/heic"
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_uploads(uploads: list[Upload]) -> list[FieldError]:
    """One error per problem, naming the file; the accepted ones get their real content type."""
    errors = []
    uploads = [u for u in uploads if u.file_name or u.data]
    if len(uploads) > MAX_FILES:
        errors.append(FieldError("attachments", "max_files", {"label": LABEL, "limit": MAX_FILES}))
    for upload in uploads:
        if len(upload.data) > MAX_BYTES:
            errors.append(
                FieldError("attachments", "file_size", {"label": LABEL, "name": upload.file_name, "limit": "20 MB"})
            )
            continue
        kind = sniff(upload.data)
        if kind is None:
            errors.append(FieldError("attachments", "file_type", {"label": LABEL, "name": upload.file_name}))
        upload.content_type = kind or ""
    return errors


def safe_name(name: str) -> str:
    """A display name without any path."""
    return os.path.basename((name or "").replace("\\", "/")).strip()[:255] or "tep"


def store(directory: Path, data: bytes) -> str:
    """Write the bytes under their SHA-256 (same file twice = one copy); returns the hash."""
    digest = hashlib.sha256(data).hexdigest()
    path = directory / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return digest


def path_of(directory: Path, digest: str) -> Path:
    if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise ValueError("not a stored file")
    return directory / digest[:2] / digest


def attach(session, directory: Path, petition_id: int, uploads, uploaded_by: str | None, public: bool = False):
    """Store checked uploads and add their rows to the session (the caller's transaction)."""
    rows = []
    for upload in uploads:
        if upload.data:
            row = Attachment(
                petition_id=petition_id,
                file_name=safe_name(upload.file_name),
                content_type=upload.content_type,
                size=len(upload.data),
                sha256=store(Path(directory), upload.data),
                uploaded_by=uploaded_by,
                public=public,
            )
            session.add(row)
            rows.append(row)
    return rows
