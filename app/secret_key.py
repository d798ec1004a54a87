"""The key that signs session cookies: required and strong in production, generated once for the embedded default."""

import os
import secrets
from pathlib import Path

MIN_LENGTH = 32
KNOWN_WEAK = {"dev-only-not-secret", "changeme", "change-me", "secret", "development", "dev", "test", "password"}
FILE_NAME = "secret_key"


class InsecureConfiguration(RuntimeError):
    """The configuration would let strangers in; the start stops with this message."""


def weakness(key: str) -> str | None:
    """Why `key` is not good enough to sign sessions, or None."""
    if key.strip().lower() in KNOWN_WEAK:
        return "it is a well-known example value"
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters, at least {MIN_LENGTH} are needed"
    if len(set(key)) < 10:
        return "it repeats too few different characters"
    return None


def resolve_secret_key(configured: str | None, production: bool, instance_dir: Path) -> str:
    """The configured key when strong; in development a random key kept in `instance_dir`; else refuse to start."""
    if configured:
        problem = weakness(configured)
        if problem is None:
            return configured
        if production:
            raise InsecureConfiguration(f"SECRET_KEY is too weak: {problem}. {HOW}")
        return configured  # a developer's own choice on the embedded default
    if production:
        raise InsecureConfiguration(f"PAKN_ENV=production needs SECRET_KEY. {HOW}")
    return _instance_key(Path(instance_dir))


HOW = (
    'Set it to a random value of at least 32 characters, e.g. the output of `python -c "import secrets; '
    'print(secrets.token_urlsafe(48))"`, kept secret and the same on every node.'
)


def _instance_key(directory: Path) -> str:
    """Read the embedded default's key, creating it (readable by the owner only) on first start.

    Written to a private temporary file and linked into place: two processes starting together agree on one key.
    """
    path = directory / FILE_NAME
    directory.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = directory / f".{FILE_NAME}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            tmp.unlink()
    return path.read_text(encoding="ascii").strip()
