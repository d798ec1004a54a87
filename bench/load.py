"""Load clients of the production-stack benches: anonymous senders and intake clerks, through the real pages.

A sender reads the form it posts (GET /gui-phan-anh): field names, select options (province, kind, field, and
any list depending on the province, such as a commune) and the CSRF token, so a field added to the form is
filled without a change here. A clerk logs in, opens an item of /cong-viec and classifies it "forward" to the
lead agency through the task's own form. Every POST is recorded with its outcome.
"""

import itertools
import random
import re
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException

from bench.browser import Answer, Browser, Control, Form, form_with

TRACKING = re.compile(r"/tra-cuu/([^/?#]+)$")
FIELD_ERROR = re.compile(r'class="field-error"[^>]*>([^<]*)<')
NONCE = re.compile(r"kiểm thử (\S+):")  # the nonce a sender put in the title, found again in the database
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ITEM = re.compile(r'<tr id="item-(\d+)"')
TEXTS = {
    "content": "Đèn chiếu sáng trên đường Phan Đình Phùng hỏng hơn một tháng, ban đêm rất nguy hiểm.",
    "location": "Đường Phan Đình Phùng, phường Trung Tâm",
    "sender_name": "Nguyễn Văn An",
    "sender_phone": "0912345678",
    "sender_email": "an.nguyen@example.vn",
    "sender_address": "34 Lê Lợi, phường Trung Tâm",
}
BY_TYPE = {"email": "an.nguyen@example.vn", "tel": "0912345678", "number": "1", "date": "2026-01-05"}
FAILURES = (OSError, HTTPException)


@dataclass
class Outcome:
    """One POST: a submission (key: its nonce) or a completion (key: the work item id); or a GET of the form."""

    kind: str  # "submit", "complete" or "form"
    key: str
    status: int | None  # None: no answer (connection dropped or timed out after the request was sent)
    seconds: float
    code: str | None = None  # the tracking code of an acknowledged submission
    detail: str = ""
    at: float = field(default_factory=time.monotonic)  # when the answer came (throughput windows)

    @property
    def acknowledged(self) -> bool:
        return self.status == 302 and (self.kind == "complete" or self.code is not None)


@dataclass
class Tally:
    """Outcomes of every client, thread-safe."""

    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0

    def add(self, outcome: Outcome):
        with self.lock:
            self.outcomes.append(outcome)

    def of(self, kind: str) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if o.kind == kind]

    @contextmanager
    def posting(self):
        """Counts the POSTs under way (a crash test kills when some are)."""
        with self.lock:
            self.in_flight += 1
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1


_nonces = itertools.count(1)


def photo() -> tuple[str, str, str, bytes]:
    """A small JPEG-headed file, different every time (stored files are deduplicated by content)."""
    return ("attachments", "anh-hien-truong.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + secrets.token_bytes(2048))


def _pick(control: Control, province: str, province_label: str) -> str:
    values = [(v, attrs) for v, attrs in control.options if v]
    if not values:
        return control.value
    if "province" in control.name:
        return next((v for v, _ in values if v == province), values[0][0])
    # a list that depends on the province (e.g. communes): only its options, when they say whose they are
    own = [v for v, attrs in values if v.startswith(province) or {province, province_label} & set(attrs.values())]
    return random.choice(own or [v for v, _ in values])


def fill_submission(form: Form, nonce: str, province: str) -> tuple[list, list]:
    """The fields and files a sender posts on this form: every control named, the province's first."""
    controls = sorted(form.controls.values(), key=lambda c: "province" not in c.name)
    fields, files, province_label = [], [], ""
    for control in controls:
        if control.kind in ("submit", "button", "reset", "image"):
            continue
        if control.kind == "file":
            files.append(photo())
            continue
        if control.kind == "hidden":
            value = control.value
        elif control.kind in ("select", "radio"):
            value = _pick(control, province, province_label)
            if "province" in control.name:
                province = value
                province_label = next((a.get("_text", "") for v, a in control.options if v == value), "")
        elif control.kind == "checkbox":
            value = control.options[0][0] if control.required else ""
        elif control.name == "title":
            value = f"Phản ánh kiểm thử {nonce}: đèn đường hỏng"
        else:
            value = TEXTS.get(control.name) or BY_TYPE.get(control.kind) or f"Nội dung kiểm thử {nonce}"
        if value:
            fields.append((control.name, value))
    return fields, files


class Sender:
    """An anonymous sender's browser and the submission form it read (parsed once, its token read every time)."""

    def __init__(self, base: str, province: str, prefix: str):
        self.browser, self.province, self.prefix = Browser(base), province, prefix
        self.form: Form | None = None

    def fields(self, page: str, nonce: str) -> tuple[list, list]:
        token = CSRF.search(page)
        if self.form is None or token is None:
            self.form = self.read_form(page)
        fields, files = fill_submission(self.form, nonce, self.province)
        if token is not None:
            fields = [(n, token.group(1) if n == "csrf_token" else v) for n, v in fields]
        return fields, files

    def read_form(self, page: str) -> Form:
        """The form, with the lists that follow the province filled as a browser without JavaScript gets them:
        a required list with no option yet (e.g. communes) and a named submit button (e.g. "show the communes")
        mean posting the province with that button, which shows the form again with the list filled."""
        form = form_with(page, "csrf_token", "title")
        controls = form.controls.values()
        empty = [c for c in controls if c.kind == "select" and c.required and not any(v for v, _ in c.options)]
        buttons = [c for c in controls if c.kind == "submit" and c.name]
        if not (empty and buttons):
            return form
        fields, _ = fill_submission(form, "form", self.province)
        answer = self.browser.post("/gui-phan-anh", [*fields, (buttons[0].name, buttons[0].value or "1")])
        return form_with(answer.text, "csrf_token", "title")


def submit_once(sender: Sender, tally: Tally, files: list | None = None) -> Outcome | None:
    """GET the form, POST it filled (with `files` instead of a new photo when given); None when the form could
    not even be read (nothing was sent)."""
    browser = sender.browser
    try:
        page = browser.get("/gui-phan-anh")
    except FAILURES:
        return None
    if page.status != 200:
        return None
    tally.add(Outcome("form", "", page.status, page.seconds))
    nonce = f"{sender.prefix}-{next(_nonces):06d}"
    fields, photos = sender.fields(page.text, nonce)
    files = photos if files is None else files
    try:
        with tally.posting():
            answer = browser.post("/gui-phan-anh", fields, files)
    except ConnectionRefusedError:
        return None  # never reached a server
    except FAILURES as failure:
        outcome = Outcome("submit", nonce, None, 0.0, detail=type(failure).__name__)
    else:
        match = TRACKING.search(answer.location) if answer.status == 302 else None
        detail = "; ".join(FIELD_ERROR.findall(answer.text)) if answer.status == 422 else ""
        outcome = Outcome("submit", nonce, answer.status, answer.seconds, match and match.group(1), detail)
    tally.add(outcome)
    return outcome


def log_in(browser: Browser, username: str, password: str):
    page = browser.get("/dang-nhap")
    form = form_with(page.text, "username", "password")
    fields = [(c.name, c.value) for c in form.controls.values() if c.kind == "hidden"]
    answer = browser.post("/dang-nhap", [*fields, ("username", username), ("password", password)], multipart=False)
    if answer.status != 302:
        raise SystemExit(f"{username} could not log in: HTTP {answer.status}")


def inbox_items(browser: Browser) -> tuple[list[int], Answer]:
    answer = browser.get("/cong-viec")
    return [int(i) for i in ITEM.findall(answer.text)] if answer.status == 200 else [], answer


def classify_forward(browser: Browser, tally: Tally, item_id: int, lead_agency: str) -> Outcome | None:
    """Open the classification task and complete it: forward to `lead_agency`."""
    try:
        page = browser.get(f"/cong-viec/{item_id}")
    except FAILURES:
        return None
    if page.status != 200:
        return None
    try:
        form = form_with(page.text, "csrf_token", "decision", "lead_agency")
    except LookupError:
        return None  # done by the other clerk meanwhile: the page shows the task without its form
    if lead_agency not in [v for v, _ in form.controls["lead_agency"].options]:
        raise SystemExit(f"{lead_agency} is not among the lead agencies the classification form offers")
    fields = [(c.name, c.value) for c in form.controls.values() if c.kind == "hidden"]
    fields += [("decision", "forward"), ("lead_agency", lead_agency)]
    try:
        with tally.posting():
            answer = browser.post(f"/cong-viec/{item_id}", fields, multipart="multipart" in form.enctype)
    except ConnectionRefusedError:
        return None
    except FAILURES as failure:
        outcome = Outcome("complete", str(item_id), None, 0.0, detail=type(failure).__name__)
    else:
        outcome = Outcome("complete", str(item_id), answer.status, answer.seconds)
    tally.add(outcome)
    return outcome


def sender(base: str, stop: threading.Event, tally: Tally, province: str, prefix: str, limit: int | None = None):
    """A client that submits one PAKN after another until stopped (or `limit` POSTs)."""
    client, sent = Sender(base, province, prefix), 0
    while not stop.is_set() and (limit is None or sent < limit):
        if submit_once(client, tally) is None:
            time.sleep(0.2)  # the server is away: do not spin
        else:
            sent += 1


def clerk(base: str, stop: threading.Event, tally: Tally, username: str, password: str, lead_agency: str,
          number: int = 0, clerks: int = 1):  # fmt: skip
    """An intake clerk working down his share of the inbox (every `clerks`-th item from `number`), ten at a time."""
    browser = Browser(base)
    while not stop.is_set():
        try:
            if "session" not in browser.cookies:
                log_in(browser, username, password)
            items, answer = inbox_items(browser)
        except FAILURES:
            time.sleep(0.2)
            continue
        if answer.status == 302:
            browser.cookies.clear()  # the login session did not survive: log in again
        if not items[number::clerks]:
            time.sleep(0.2)
        for item_id in items[number::clerks][:10]:
            if stop.is_set() or classify_forward(browser, tally, item_id, lead_agency) is None:
                break


def start(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread
