"""Configuration from the environment, with the embedded SQLite default for a fresh machine."""

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Config:
    """What the application needs to start."""

    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'pakn.sqlite3'}")
    )
    processes_dir: Path = ROOT / "processes"
    forms_dir: Path = ROOT / "forms"  # Camunda Forms (.form) that user tasks name with formRef / formKey
    calendars_dir: Path = ROOT / "calendars"
    # Attachments are files outside the database (back it up with the database).
    uploads_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("PAKN_UPLOADS", ROOT / "instance" / "uploads"))
    )
    # The timer job runs inside `python run.py` unless turned off (e.g. when a separate process runs it).
    scheduler: bool = field(default_factory=lambda: os.environ.get("PAKN_SCHEDULER", "on") != "off")
    # Demo accounts only on the embedded default, never in production.
    demo_data: bool = field(default_factory=lambda: os.environ.get("PAKN_ENV", "development") != "production")
    secret_key: str = field(default_factory=lambda: os.environ.get("SECRET_KEY", "dev-only-not-secret"))
    testing: bool = False
