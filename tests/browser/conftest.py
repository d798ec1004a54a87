"""Browser tests: the real app on a live port, driven by Debian's chromium through Playwright.

Screenshots of every test are kept under test-artifacts/browser/ (CI keeps them as artifacts).
"""

import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app.config import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PHONE = {"width": 390, "height": 844}  # a citizen's phone
DESK = {"width": 1280, "height": 900}  # a clerk's screen


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test's app served on a free port in a thread (its own database copy)."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


class Shots:
    """Numbered screenshots of one test, so a reader can follow the flow."""

    def __init__(self, name: str):
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, page, label: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


@pytest.fixture
def open_page(chromium, live_server, shots, request):
    """open_page(viewport) → a fresh browser context (its own cookies) on the live server."""
    contexts = []

    def make(viewport=DESK):
        context = chromium.new_context(base_url=live_server, viewport=viewport, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for context in contexts:
        for page in context.pages:
            if failed:
                shots(page, "failure")
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report  # read by open_page to keep a screenshot of a failure
    return report


def log_in(page, username, password="demo123"):
    page.goto("/dang-nhap")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Đăng xuất", include_hidden=True).count() == 1, (
        f"{username} could not log in"
    )


def unfold_menu(page):
    """On a phone the header's menu and account links fold behind the menu button: unfold them (no-op on a desk)."""
    button = page.locator("label.menu-button")
    if button.is_visible() and not page.locator("#menu-switch").is_checked():
        button.click()
