"""The production stack for the benches: `run.py init`, staff set up through the domain operations, gunicorn.

Gunicorn runs `app.wsgi:app` in its own process group (so the benches can SIGKILL the master and every worker
at once), with PAKN_ENV=production, a strong SECRET_KEY and the scheduler off, as docs/deployment.md says.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.accounts.models import User  # noqa: E402
from app.administration.accounts import create_account  # noqa: E402
from app.administration.agencies import create_agency  # noqa: E402
from app.agencies.models import Agency, Province  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402

ADMIN, PASSWORD = "bench-admin", "bench-" + secrets.token_urlsafe(12)
PREFERRED_PROVINCE = "quang-ngai"  # its calendar file carries Kon Tum's guidance; any province would do
INTAKE_OFFICE, LEAD_AGENCY = "BENCH-VPUB", "BENCH-SXD"


@dataclass
class Staff:
    """What the load clients need: the clerks' accounts and the agency cases are forwarded to."""

    intake: list[str] = field(default_factory=list)
    password: str = PASSWORD
    province: str = PREFERRED_PROVINCE
    lead_agency: str = LEAD_AGENCY


def stack_env(database_url: str, workdir: Path, **extra) -> dict:
    """The environment of every production process of one bench stack."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PAKN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PAKN_SCHEDULER": "off",  # timers are the scheduler processes' job, not the web workers'
        "PAKN_UPLOADS": str(workdir / "uploads"),
        "PAKN_INSTANCE": str(workdir / "instance"),
        "PAKN_ADMIN_USERNAME": ADMIN,
        "PAKN_ADMIN_PASSWORD": PASSWORD,
        "PAKN_ADMIN_NAME": "Quản trị kiểm thử",
        **extra,
    }


def run_init(env: dict) -> str:
    """`python run.py init` as production runs it; its output."""
    done = subprocess.run([sys.executable, "run.py", "init", "--no-input"], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=300)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"run.py init failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _province(session) -> Province:
    """The province the bench's cases go to: one `run.py init` loaded, else one of calendars/provinces/."""
    province = session.get(Province, PREFERRED_PROVINCE) or session.scalar(select(Province).order_by(Province.code))
    if province is None:
        # an init that loads no administrative units: a row from a calendar file, as seed_demo does
        spec = tomllib.loads(sorted((ROOT / "calendars" / "provinces").glob("*.toml"))[0].read_text("utf-8"))
        province = Province(code=spec["code"], name=spec["name"], policy=spec.get("policy", "qd31-2021"))
        session.add(province)
        session.commit()
    return province


def provision(database_url: str, clerks: int = 2) -> Staff:
    """The province's intake office, a handling agency, intake clerks and the agency's handler and leader
    (bench-handler, bench-leader), created as the administrator would."""
    engine = make_engine(database_url)
    staff = Staff()
    with make_session_factory(engine)() as session:
        admin = session.scalar(select(User).where(User.username == ADMIN))
        province = _province(session)
        staff.province = province.code
        agencies = [(INTAKE_OFFICE, "Văn phòng UBND", "1"), (LEAD_AGENCY, "Sở Xây dựng", "")]
        for agency_code, agency_name, intake in agencies:
            if session.scalar(select(Agency.id).where(Agency.code == agency_code)) is None:
                values = {"code": agency_code, "name": f"{agency_name} {province.name}", "level": "province"}
                create_agency(session, admin, {**values, "province": province.code, "is_intake_office": intake})
        accounts = [(f"bench-intake-{n}", "intake", INTAKE_OFFICE) for n in range(1, clerks + 1)]
        accounts += [("bench-handler", "handler", LEAD_AGENCY), ("bench-leader", "leader", LEAD_AGENCY)]
        for username, role, agency in accounts:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                values = {"username": username, "full_name": f"Cán bộ {username}", "role": role, "agency": agency}
                create_account(session, admin, {**values, "password": PASSWORD})
        staff.intake = [username for username, role, _ in accounts if role == "intake"]
    engine.dispose()
    return staff


class Gunicorn:
    """`gunicorn app.wsgi:app` with N sync workers on 127.0.0.1:port, in a process group of its own."""

    def __init__(self, env: dict, workers: int, port: int, log: Path, extra: tuple = ()):
        self.env, self.workers, self.port, self.log_path, self.extra = env, workers, port, log, extra
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_within: float = 90) -> "Gunicorn":
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "app.wsgi:app", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                   "--backlog", "256", *self.extra]  # fmt: skip
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                        start_new_session=True)  # fmt: skip
        self.wait_ready(ready_within)
        return self

    def wait_ready(self, within: float):
        """Until /healthz says the database answers at this release's schema, and every worker is up."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as answer:
                    if answer.status == 200 and len(self.worker_pids()) == self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn not ready within {within} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill_worker(self) -> int:
        """SIGKILL one worker (the master starts another); returns its pid."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self):
        """SIGKILL the master and every worker at once: a crash, nothing shuts down cleanly."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill_all()
