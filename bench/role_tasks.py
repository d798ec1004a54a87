"""Each role's top tasks timed in a real browser: the clicks and the seconds from the login page to done.

    .venv/bin/python bench/role_tasks.py                      # starts `python run.py` (fresh temporary SQLite)
    .venv/bin/python bench/role_tasks.py http://127.0.0.1:5000   # a server already running (demo accounts)
    .venv/bin/python bench/role_tasks.py --source /tmp/before-19  # the server of another checkout (before/after)

Headless Debian chromium through Playwright, with the browser tests' launch arguments, a desk-sized window. One
case goes the whole way: the citizen submits it, the intake office classifies and forwards it (to Sở Xây dựng),
the handler answers, the leader approves, the intake office reviews and publishes, the citizen finds the answer
and rates it, the auditor opens it on its diagram. The bench works on the case it submitted, so that a checkout
without demo cases is measured on the same work. Every user action the script performs is counted: a click, a
choice in a list or a radio button counts as a click; a text typed into a field as a field. After logging in the
script goes where a person would: a menu link only if the landing page is not already the work. The seconds
are the median of --rounds rounds (each on a case of its own); the machine's load shows in them, the clicks not.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/browser/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESK = {"width": 1280, "height": 900}
PASSWORD = "demo123"
TITLE = "Đề nghị lắp đèn tín hiệu tại ngã tư Phan Đình Phùng"


@dataclass
class Result:
    task: str
    clicks: int = 0
    fields: int = 0
    seconds: float = 0.0
    error: str = ""


class Actor:
    """One user's browser page; counts what it does."""

    def __init__(self, browser, base: str, result: Result):
        self.context = browser.new_context(base_url=base, viewport=DESK, locale="vi-VN")
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.result = result

    def click(self, locator):
        self.result.clicks += 1
        with self.page.expect_navigation() if self._navigates(locator) else _nothing():
            locator.click()
        self.page.wait_for_load_state()

    @staticmethod
    def _navigates(locator) -> bool:
        return locator.evaluate("e => e.tagName === 'A' || e.type === 'submit'")

    def fill(self, locator, text: str):
        self.result.fields += 1
        locator.fill(text)

    def choose(self, locator, **option):
        self.result.clicks += 1
        locator.select_option(**option)

    def check(self, locator):
        self.result.clicks += 1
        locator.check()

    def log_in(self, username: str):
        self.page.goto("/dang-nhap")
        self.started = time.perf_counter()
        self.fill(self.page.locator("#username"), username)
        self.fill(self.page.locator("#password"), PASSWORD)
        self.click(self.page.locator("main button[type=submit]"))
        if self.page.locator("button", has_text="Đăng xuất").count() != 1:
            raise RuntimeError(f"{username} could not log in")

    def menu(self, label: str, path: str):
        """Follow the menu link unless the login already landed there."""
        if not self.page.url.split("?")[0].endswith(path):
            self.click(self.page.locator("header").get_by_role("link", name=label, exact=True))

    def done(self):
        self.result.seconds = time.perf_counter() - self.started
        self.context.close()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def open_task(actor: Actor, code: str, task_name: str):
    """From the inbox, the task of the case: paging on as a person would when the row is not on this page."""
    actor.menu("Công việc của tôi", "/cong-viec")
    page = actor.page
    for _ in range(50):
        link = page.locator("tr", has_text=code).get_by_role("link", name=task_name, exact=True)
        if link.count():
            actor.click(link.first)
            return
        actor.click(page.get_by_role("link", name=re.compile("Trang sau")).first)
    raise RuntimeError(f"{task_name} of {code} not found in the inbox")


def finish(actor: Actor):
    actor.click(actor.page.get_by_role("button", name="Hoàn thành"))
    if actor.page.locator(".flash.ok").count() != 1:
        raise RuntimeError("the task was not completed")


def citizen_submits(actor: Actor, case: dict):
    page = actor.page
    actor.log_in("citizen")
    actor.menu("Gửi phản ánh, kiến nghị", "/gui-phan-anh")
    actor.choose(page.locator("#province_code"), value="quang-ngai")
    page.wait_for_function("() => document.getElementById('commune_code').innerText.includes('Kon Tum')")
    actor.choose(page.locator("#commune_code"), label="Phường Kon Tum")
    actor.choose(page.locator("#kind"), value="proposal")  # no photo needed
    actor.choose(page.locator("#field_code"), value="xay-dung")
    actor.fill(page.locator("#title"), TITLE)
    actor.fill(page.locator("#content"), "Ngã tư Phan Đình Phùng – Lê Lợi đông xe giờ cao điểm, đề nghị lắp đèn.")
    sender = {
        "#sender_name": "Trần Thị Bình",
        "#sender_phone": "0905123456",
        "#sender_email": "binh.tran@example.vn",
        "#sender_address": "12 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
    }
    for selector, text in sender.items():
        if not page.locator(selector).input_value():  # the account may have filled it already
            actor.fill(page.locator(selector), text)
    actor.click(page.get_by_role("button", name="Gửi", exact=True))
    flash = page.locator(".flash.ok")
    if flash.count() != 1:
        raise RuntimeError("the petition was not received")
    case["code"] = re.search(r"[A-Z0-9-]{6,}", flash.inner_text().split(":")[-1]).group(0)


def intake_forwards(actor: Actor, case: dict):
    actor.log_in("intake")
    open_task(actor, case["code"], "Phân loại PAKN")
    actor.check(actor.page.locator("input[name=decision][value=forward]"))
    actor.choose(actor.page.locator("#cf-lead_agency"), value="QNG-SXD")
    finish(actor)


def handler_answers(actor: Actor, case: dict):
    actor.log_in("handler")
    open_task(actor, case["code"], "Xử lý, dự thảo văn bản trả lời")
    actor.check(actor.page.locator("input[name=action][value=answer]"))
    actor.fill(actor.page.locator("#cf-answer"), "Sở Xây dựng đưa ngã tư vào kế hoạch lắp đèn tín hiệu quý tới.")
    finish(actor)


def leader_approves(actor: Actor, case: dict):
    actor.log_in("leader")
    open_task(actor, case["code"], "Lãnh đạo duyệt văn bản trả lời")
    actor.check(actor.page.locator("input[name=leader_decision][value=approve]"))
    finish(actor)


def intake_publishes(actor: Actor, case: dict):
    actor.log_in("intake")
    open_task(actor, case["code"], "Kiểm tra kết quả trả lời")
    actor.check(actor.page.locator("input[name=review_decision][value=approve]"))
    finish(actor)
    open_task(actor, case["code"], "Công khai kết quả trả lời")
    actor.fill(actor.page.locator("#cf-public_summary"), "Ngã tư sẽ có đèn tín hiệu trong quý tới.")
    finish(actor)


def citizen_rates(actor: Actor, case: dict):
    page = actor.page
    actor.log_in("citizen")
    actor.menu("PAKN của tôi", "/cua-toi")
    actor.click(page.locator("tr", has_text=case["code"]).get_by_role("link").first)
    actor.check(page.locator("input[name=stars][value='4']"))
    actor.click(page.get_by_role("button", name="Gửi đánh giá"))
    if "4/5" not in page.content():
        raise RuntimeError("the rating is not shown")


def auditor_opens_diagram(actor: Actor, case: dict):
    page = actor.page
    actor.log_in("auditor")
    actor.menu("Kiểm tra hồ sơ", "/kiem-tra/")
    actor.fill(page.locator("#code"), case["code"])
    actor.click(page.get_by_role("button", name="Lọc"))
    actor.click(page.get_by_role("link", name=case["code"], exact=True))
    page.locator("svg").first.wait_for()  # the diagram (a published case has no current step left to mark)
    if case["code"] not in page.content():
        raise RuntimeError("the case's page did not open")


TASKS = [
    ("người dân gửi PAKN", citizen_submits),
    ("đầu mối phân loại, chuyển", intake_forwards),
    ("cán bộ xử lý trả lời", handler_answers),
    ("lãnh đạo duyệt", leader_approves),
    ("đầu mối kiểm tra, công khai", intake_publishes),
    ("người dân xem, đánh giá", citizen_rates),
    ("thanh tra xem sơ đồ hồ sơ", auditor_opens_diagram),
]


def run_tasks(base: str) -> list[Result]:
    results, case = [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, task in TASKS:
            result = Result(name)
            actor = Actor(browser, base, result)
            try:
                task(actor, case)
                actor.done()
            except Exception as failure:  # a step missing in an older checkout: say so, go on
                result.error = f"{type(failure).__name__}: {str(failure).splitlines()[0][:100]}"
                actor.context.close()
            results.append(result)
        browser.close()
    return results


def median_of(rounds: list[list[Result]]) -> list[Result]:
    """Per task: the clicks and fields of the first round (the same every round), the median seconds."""
    merged = []
    for runs in zip(*rounds, strict=True):
        failed = next((r for r in runs if r.error), None)
        seconds = statistics.median(r.seconds for r in runs) if failed is None else 0.0
        merged.append(failed or Result(runs[0].task, runs[0].clicks, runs[0].fields, seconds))
    return merged


def print_table(results: list[Result], label: str):
    print(f"\n{label}")
    print(f"{'task':<32} {'clicks':>6} {'fields':>6} {'seconds':>8}")
    for r in results:
        if r.error:
            print(f"{r.task:<32} {'—':>6} {'—':>6} {'—':>8}  failed: {r.error}")
        else:
            print(f"{r.task:<32} {r.clicks:>6} {r.fields:>6} {r.seconds:>8.2f}")
    done = [r for r in results if not r.error]
    print(f"{'total':<32} {sum(r.clicks for r in done):>6} {sum(r.fields for r in done):>6} "
          f"{sum(r.seconds for r in done):>8.2f}")  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(source: Path, workdir: Path) -> tuple[subprocess.Popen, str]:
    """`python run.py` of the checkout on a fresh SQLite database in workdir; returns when it answers."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'pakn.sqlite3'}",
        "PAKN_INSTANCE": str(workdir / "instance"),
        "PAKN_UPLOADS": str(workdir / "uploads"),
        "PORT": str(port),
    }
    log = open(workdir / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "run.py"], cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # migrations and the demo cases take a while on a busy machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: see {workdir / 'server.log'}")
        try:
            with urllib.request.urlopen(base + "/dang-nhap", timeout=5) as answer:
                if answer.status == 200:
                    return server, base
        except OSError:
            time.sleep(1)
    stop_server(server)
    raise RuntimeError("the server did not answer within 10 minutes")


def stop_server(server: subprocess.Popen):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", help="a running server (default: start run.py on a fresh database)")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose run.py is started")
    parser.add_argument("--rounds", type=int, default=3, help="each round a new case; the median seconds shown")
    args = parser.parse_args(argv)
    if args.url:
        results = median_of([run_tasks(args.url.rstrip("/")) for _ in range(args.rounds)])
        print_table(results, f"{args.url} (median of {args.rounds})")
        return 1 if any(r.error for r in results) else 0
    with tempfile.TemporaryDirectory(prefix="pakn-role-tasks-") as folder:
        started = time.perf_counter()
        server, base = start_server(args.source.resolve(), Path(folder))
        print(f"server of {args.source} ready in {time.perf_counter() - started:.0f} s at {base}", flush=True)
        try:
            results = median_of([run_tasks(base) for _ in range(args.rounds)])
        finally:
            stop_server(server)
    print_table(results, f"{args.source.resolve()} ({_commit(args.source)}; median of {args.rounds})")
    return 1 if any(r.error for r in results) else 0


def _commit(source: Path) -> str:
    found = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
