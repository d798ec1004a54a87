"""Configuration from the environment, with the embedded SQLite default for a fresh machine."""

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


@dataclass
class Config:
    """What the application needs to start."""

    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'pakn.sqlite3'}")
    )
    processes_dir: Path = ROOT / "processes"
    forms_dir: Path = ROOT / "forms"  # Camunda Forms (.form) that user tasks name with formRef / formKey
    calendars_dir: Path = ROOT / "calendars"
    # The embedded default keeps its generated secret key here (with the SQLite file).
    instance_dir: Path = field(default_factory=lambda: Path(os.environ.get("PAKN_INSTANCE", ROOT / "instance")))
    # Attachments are files outside the database (back it up with the database).
    uploads_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("PAKN_UPLOADS", ROOT / "instance" / "uploads"))
    )
    # The timer job runs inside `python run.py` unless turned off (e.g. when a separate process runs it).
    scheduler: bool = field(default_factory=lambda: os.environ.get("PAKN_SCHEDULER", "on") != "off")
    # Production: a strong SECRET_KEY is required, cookies are Secure, no demo accounts.
    production: bool = field(default_factory=lambda: os.environ.get("PAKN_ENV", "development") == "production")
    # Demo accounts only on the embedded default, never in production.
    demo_data: bool = field(default_factory=lambda: os.environ.get("PAKN_ENV", "development") != "production")
    # None: generated once and kept in instance_dir (refused in production, see app/secret_key.py).
    secret_key: str | None = field(default_factory=lambda: os.environ.get("SECRET_KEY") or None)
    # How many reverse proxies in front set X-Forwarded-For/-Proto; 0 trusts no header (the socket's address).
    trusted_proxies: int = field(default_factory=lambda: _env_int("PAKN_TRUSTED_PROXIES", 0))
    testing: bool = False
