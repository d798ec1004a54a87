"""Accessibility (issue 19 point 7): axe-core, run in the browser on every page each role reaches from its menu
(and one task or case page of each list), at desk and phone width, finds no violation; with the demo cases, so
that lists, tasks and answers are on the pages it checks."""

import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.demo_cases import seed_demo_cases

from .conftest import DESK, PHONE, log_in

AXE = Axe()
ROLES = [None, "citizen", "intake", "handler", "leader", "chair", "auditor", "admin"]
SKIP = (".csv", ".json", ".pdf", ".xlsx", "/tep/", "/dang-xuat", "/ngon-ngu", "/ho-so/")  # files, actions
DETAIL = re.compile(r"^/(cong-viec|kiem-tra|bao-cao|tra-cuu|quan-tri/[a-z-]+)/[\w-]*\d[\w-]*$")  # one of each kind


def pages_of(page) -> list[str]:
    """The menu's pages, the admin section's, and the first detail page each of them links to."""
    links = page.eval_on_selector_all("nav a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [href for href in links if href and href.startswith("/") and not any(s in href for s in SKIP)]


def violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
@pytest.mark.parametrize("username", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_page_of_each_role_has_no_accessibility_violation(session, open_page, shots, username, viewport):
    seed_demo_cases(session)
    page = open_page(viewport)
    if username:
        log_in(page, username)
    page.goto("/")
    menu = [h for h in pages_of(page) if urlparse(h).path.count("/") <= 3]
    seen, found, details = set(), {}, set()
    queue = list(dict.fromkeys(menu))
    while queue and len(seen) < 40:
        href = queue.pop(0)
        path = urlparse(href).path
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(href)
        if response is not None and response.status >= 500:
            found[path] = [f"HTTP {response.status}"]  # never a 500 behind a link
        if response is None or response.status >= 400:
            continue
        problems = violations(page)
        if problems:
            found[path] = problems
            shots(page, path.strip("/").replace("/", "-") or "home")
        for link in pages_of(page):
            detail = DETAIL.match(urlparse(link).path)
            kind = detail and detail.group(1)
            if kind and kind not in details:
                details.add(kind)
                queue.append(link)
            elif urlparse(link).path.startswith("/quan-tri/") and username == "admin":
                queue.append(link)
    assert len(seen) >= 3
    assert found == {}, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)
