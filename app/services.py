"""What one process shares: the settings, the database, and the caches built from the settings' folders.

`create_app`, every `run.py` command and the tests build one `Services`; every session it makes carries it
(`services_of(session)`), so domain code finds the calendar files, the forms and the uploads folder where the
configuration says, never at a default of its own. The engine keeps its own caches (live workflows, parsed
specs, compiled scripts), each keyed by what invalidates it (lock version, definition, source text).
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from app.config import Config


@dataclass
class Services:
    config: Config
    engine: object
    sessions: sessionmaker = field(init=False)
    # calendar books by (calendar revision): the newest revision is the only one worth keeping
    books: dict = field(default_factory=dict, repr=False)
    # the Camunda Forms registry with the folder's stamp it was read at (designers edit forms at run time)
    forms_registry: tuple | None = field(default=None, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self):
        # Sessions keep loaded objects usable after commit (operations return them to callers).
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"services": self})

    @property
    def calendars_dir(self) -> Path:
        return Path(self.config.calendars_dir)

    @property
    def forms_dir(self) -> Path:
        return Path(self.config.forms_dir)

    @property
    def processes_dir(self) -> Path:
        return Path(self.config.processes_dir)

    @property
    def uploads_dir(self) -> Path:
        return Path(self.config.uploads_dir)


def open_services(config: Config | None = None, engine=None) -> Services:
    """Services on `config` (default: the environment's), with its engine unless one is given."""
    from app.db import make_engine  # noqa: PLC0415  (db imports nothing of ours; keep it that way)

    config = config or Config()
    return Services(config, engine if engine is not None else make_engine(config.database_url))


def services_of(session) -> Services:
    """The Services whose factory made `session`."""
    services = session.info.get("services")
    if services is None:
        raise RuntimeError("this session was not made by a Services factory (app.services.open_services)")
    return services
