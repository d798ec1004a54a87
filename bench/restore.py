"""Backup and restore, as docs/deployment.md prescribes, tried for real: the database and the uploads together.

    python bench/restore.py

A live stack (own PostgreSQL, `run.py init`, gunicorn) takes submissions with photos. While senders keep
posting, the backup is taken: first `pg_dump -Fc` of the database, then a tar of the uploads folder (in that
order: a file is on disk before the row naming it commits, so every row of the dump finds its file in the later
copy). Then a new database is made from the dump with `pg_restore` and a new uploads folder from the tar, a
fresh gunicorn serves them, and the check: /healthz, a case's public page, a clerk opening its task and
downloading its photo byte for byte, a classification completed on the restored copy, and bench/integrity.py on
the restored database (every case whole, every file there). Exit 1 on any failure.
"""

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.engine.models import WorkItem  # noqa: E402
from bench import load  # noqa: E402
from bench.integrity import check  # noqa: E402
from bench.pg import Cluster, create_database, free_port, libpq_url  # noqa: E402
from bench.server import Gunicorn, provision, run_init, stack_env  # noqa: E402

ATTACHMENT = re.compile(r'href="(/cong-viec/\d+/tep/\d+)"')


def backup(cluster: Cluster, url: str, uploads: Path, target: Path) -> str:
    """The database first, then the uploads folder; what was done, for the report."""
    target.mkdir(parents=True)
    started = time.monotonic()
    subprocess.run([cluster.tool("pg_dump"), "-Fc", "-f", str(target / "pakn.dump"), libpq_url(url)], check=True)
    with tarfile.open(target / "uploads.tar.gz", "w:gz") as archive:
        archive.add(uploads, arcname="uploads")
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(target.iterdir()))
    return f"backup in {time.monotonic() - started:.1f} s: pg_dump -Fc, then tar of the uploads ({sizes})"


def restore(cluster: Cluster, source: Path, target_url: str, uploads: Path):
    """pg_restore into an empty database; the uploads folder unpacked where the restored stack reads it."""
    command = [cluster.tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", libpq_url(target_url)]
    subprocess.run([*command, str(source / "pakn.dump")], check=True)
    with tarfile.open(source / "uploads.tar.gz") as archive:
        archive.extractall(uploads.parent, filter="data")


def check_restored(base: str, url: str, staff, code: str, photo: bytes) -> list[str]:
    """The case, its task and its photo on the restored stack; problems, [] when all is there."""
    problems = []
    public = load.Browser(base).get(f"/tra-cuu/{code}")
    if public.status != 200 or code not in public.text:
        problems.append(f"case page /tra-cuu/{code}: HTTP {public.status}")
    engine = make_engine(url)
    with engine.connect() as connection:
        item_id = connection.execute(
            select(WorkItem.id).where(WorkItem.business_key == code, WorkItem.state == "ready")
        ).scalar()
    engine.dispose()
    clerk = load.Browser(base)
    load.log_in(clerk, staff.intake[0], staff.password)
    links = ATTACHMENT.findall(clerk.get(f"/cong-viec/{item_id}").text) if item_id else []
    served = clerk.get(links[0]).body if links else b""
    if hashlib.sha256(served).digest() != hashlib.sha256(photo).digest():
        problems.append(f"the photo of {code} is not served as sent ({len(served)} bytes, {len(links)} link(s))")
    done = load.classify_forward(clerk, load.Tally(), item_id, staff.lead_agency) if item_id else None
    if done is None or not done.acknowledged:
        problems.append(f"classification on the restored copy: {done}")
    return problems


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="pakn-restore."))
    cluster = Cluster().start()
    live = restored = None
    try:
        url = create_database(cluster.url(), "pakn_live")
        env = stack_env(url, workdir / "live")
        run_init(env)
        staff = provision(url, clerks=1)
        live = Gunicorn(env, 2, free_port(), workdir / "live.log").start()
        tally, stop = load.Tally(), threading.Event()
        photo = load.photo()
        known = load.submit_once(load.Sender(live.base, staff.province, "restore"), tally, files=[photo])
        senders = [load.start(load.sender, live.base, stop, tally, staff.province, "restore") for _ in range(3)]
        time.sleep(5)
        acked_before = {o.code for o in tally.of("submit") if o.acknowledged}
        print(backup(cluster, url, workdir / "live" / "uploads", workdir / "backup"), flush=True)
        stop.set()
        for thread in senders:
            thread.join(timeout=60)
        live.stop()
        restored_url = create_database(cluster.url(), "pakn_restored")
        restored_env = stack_env(restored_url, workdir / "restored")
        restore(cluster, workdir / "backup", restored_url, workdir / "restored" / "uploads")
        restored = Gunicorn(restored_env, 2, free_port(), workdir / "restored.log").start()
        problems = check_restored(restored.base, restored_url, staff, known.code, photo[3])
        report = check(restored_url, load.Tally(), workdir / "restored" / "uploads")
        engine = make_engine(restored_url)
        with engine.connect() as connection:
            codes = set(connection.exec_driver_sql("SELECT tracking_code FROM petition").scalars())
        engine.dispose()
        lost = acked_before - codes
        half = report.counts["half-advanced"]
        print(
            f"restored: {len(codes)} cases ({len(acked_before)} acknowledged before the backup began, {len(lost)} of"
            f" them missing), {half} half-advanced or without their file; case {known.code}: page, task and photo"
            f" ({len(photo[3])} bytes) checked on the restored stack"
        )
        for problem in problems + report.half[:10]:
            print("  PROBLEM", problem)
        return 1 if problems or report.half or lost else 0
    finally:
        for stack in (live, restored):
            if stack is not None:
                stack.stop()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
