"""Checking and storing uploaded files. Types are read from the bytes (a renamed .exe is refused)."""

import hashlib
import io
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from app.errors import FieldError
from app.translation import lazy_gettext

from .models import Attachment

MAX_FILES = 5
MAX_BYTES = 20 * 1024 * 1024  # per file: a short phone video fits, a film does not
LABEL = lazy_gettext("Tệp đính kèm")
CHUNK = 256 * 1024  # copied to disk in pieces: a 20 MB video never sits in memory


class Upload:
    """A file sent with a form: its name as the sender gave it and its bytes, read in chunks, never whole.

    `source` is bytes (tests, commands) or a binary file object (a request's spooled upload, on disk when large).
    """

    def __init__(self, file_name: str, source: bytes | BinaryIO, content_type: str = ""):
        self.file_name = file_name
        self.stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        self.content_type = content_type
        self.stream.seek(0, io.SEEK_END)
        self.size = self.stream.tell()
        self.stream.seek(0)

    def __bool__(self) -> bool:
        return self.size > 0

    def head(self, length: int = 64) -> bytes:
        """The first bytes, which say what the file is."""
        self.stream.seek(0)
        data = self.stream.read(length)
        self.stream.seek(0)
        return data

    def chunks(self, size: int = CHUNK):
        self.stream.seek(0)
        while chunk := self.stream.read(size):
            yield chunk


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
    uploads = [u for u in uploads if u.file_name or u]
    if len(uploads) > MAX_FILES:
        errors.append(FieldError("attachments", "max_files", {"label": LABEL, "limit": MAX_FILES}))
    for upload in uploads:
        if upload.size > MAX_BYTES:
            errors.append(
                FieldError("attachments", "file_size", {"label": LABEL, "name": upload.file_name, "limit": "20 MB"})
            )
            continue
        kind = sniff(upload.head())
        if kind is None:
            errors.append(FieldError("attachments", "file_type", {"label": LABEL, "name": upload.file_name}))
        upload.content_type = kind or ""
    return errors


def safe_name(name: str) -> str:
    """A display name without any path, control characters or quotes (it ends up in a download's header)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c not in '"')
    return base.strip()[:255] or "tep"


def store(directory: Path, upload: Upload) -> str:
    """Copy the upload to disk in chunks under its SHA-256 (same file twice = one copy); returns the hash."""
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=directory, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as tmp_file:
            for chunk in upload.chunks():
                digest.update(chunk)
                tmp_file.write(chunk)
            tmp_file.flush()
            os.fsync(tmp_file.fileno())  # on disk before the row that names it commits (a power cut loses neither)
        path = directory / digest.hexdigest()[:2] / digest.hexdigest()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            tmp.unlink()
        else:
            tmp.replace(path)  # atomic: a reader never sees half a file
            _sync_folder(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _sync_folder(folder: Path):
    """The new name is durable too, not only the bytes."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def path_of(directory: Path, digest: str) -> Path:
    if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise ValueError("not a stored file")
    return directory / digest[:2] / digest


def attach(session, directory: Path, petition_id: int, uploads, uploaded_by: str | None, public: bool = False):
    """Store checked uploads and add their rows to the session (the caller's transaction)."""
    rows = []
    for upload in uploads:
        if upload:
            row = Attachment(
                petition_id=petition_id,
                file_name=safe_name(upload.file_name),
                content_type=upload.content_type,
                size=upload.size,
                sha256=store(Path(directory), upload),
                uploaded_by=uploaded_by,
                public=public,
            )
            session.add(row)
            rows.append(row)
    return rows
