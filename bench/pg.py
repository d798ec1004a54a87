"""A PostgreSQL cluster of the benches' own on 127.0.0.1, durable (fsync on) unlike the tests' `.ci/postgres`.

`Cluster.start()` runs initdb and starts the server; `crash()` stops it without a checkpoint (`-m immediate`,
so the next start replays the WAL); `stop()` ends it and removes its folder. As root the cluster belongs to
the `postgres` user (initdb refuses root).
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

# Durable: every acknowledged commit is on disk before the client hears of it.
DURABLE = ("fsync=on", "synchronous_commit=on", "full_page_writes=on", "max_connections=200")


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")])
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_owner(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """One throw-away server: its folder, port and binaries."""

    def __init__(self, settings=DURABLE):
        self.bin = postgres_bin()
        self.port = free_port()
        self.settings = settings
        self.dir = Path(tempfile.mkdtemp(prefix="pakn-bench-pg."))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    def _ctl(self, *args: str):
        subprocess.run(as_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), *args]), check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    def start(self) -> "Cluster":
        if not (self.dir / "data").exists():
            command = [str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "-A", "trust",
                       "-E", "UTF8", "--locale=C.UTF-8"]  # fmt: skip
            subprocess.run(as_owner(command), check=True, stdout=subprocess.DEVNULL)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} " + " ".join(f"-c {s}" for s in self.settings)
        self._ctl("-l", str(self.dir / "server.log"), "-w", "-o", options, "start")
        return self

    def crash(self):
        """Stop at once, no checkpoint: the next start recovers from the WAL, as after a power cut of the server."""
        self._ctl("-m", "immediate", "-w", "stop")

    def stop(self):
        try:
            self._ctl("-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def postmaster_pid(self) -> int:
        """The server's main process (its backends are its children)."""
        return int((self.dir / "data" / "postmaster.pid").read_text().split("\n", 1)[0])

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def tool(self, name: str) -> str:
        """pg_dump, pg_restore … of the same version as the server."""
        return str(self.bin / name)


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the server of `server_url`; returns its URL."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str):
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump and psql take it (no +psycopg)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
