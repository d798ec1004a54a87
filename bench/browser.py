"""A minimal browser for the load benches: one HTTP connection, its cookies, and the forms of a page.

Standard library only (http.client, html.parser): the benches need nothing the product does not install.
Cookies are sent back whatever their Secure flag (production sets it; the bench talks plain HTTP to 127.0.0.1).
"""

import http.client
import secrets
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """Requests to one server with the cookies it set; a failed request raises OSError (or http.client's)."""

    def __init__(self, base: str, timeout: float = 60):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Answer:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except BaseException:
            self.close()  # never reuse a connection a failure left in an unknown state
            raise
        seconds = time.perf_counter() - started
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        if response.will_close:
            self.close()
        return Answer(response.status, response.headers.get("Location", ""), body, seconds)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, str]], files=(), multipart: bool = True) -> Answer:
        """Post a form: multipart (as the product's forms declare) or urlencoded."""
        if multipart:
            body, content_type = encode_multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, content_type)

    def _keep_cookies(self, headers: list[str]):
        for header in headers:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if not value or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def encode_multipart(fields, files) -> tuple[bytes, str]:
    """multipart/form-data of (name, value) fields and (name, file name, content type, bytes) files."""
    boundary = "bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, file_name, content_type, data in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n")  # fmt: skip
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Control:
    """One named control of a form: its kind, current value and, for selects and radios, its options."""

    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list[tuple[str, dict]] = field(default_factory=list)  # (value, attributes) of each option
    required: bool = False


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    controls: dict[str, Control] = field(default_factory=dict)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: Control | None = None
        self._textarea: Control | None = None

    def _control(self, name: str, kind: str, attrs: dict) -> Control:
        form = self.forms[-1]
        control = form.controls.setdefault(name, Control(name, kind))
        control.required = control.required or "required" in attrs
        return control

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower(),
                                   attrs.get("enctype", "application/x-www-form-urlencoded")))  # fmt: skip
        elif not self.forms or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            control = self._control(attrs["name"], kind, attrs)
            if kind in ("radio", "checkbox"):
                control.options.append((attrs.get("value", "on"), attrs))
                if "checked" in attrs:
                    control.value = attrs.get("value", "on")
            else:
                control.value = attrs.get("value", "")
        elif tag == "button":
            self._control(attrs["name"], attrs.get("type", "submit").lower(), attrs).value = attrs.get("value", "")
        elif tag == "select":
            self._select = self._control(attrs["name"], "select", attrs)
        elif tag == "textarea":
            self._textarea = self._control(attrs["name"], "textarea", attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def unknown_decl(self, data):
        pass


class _OptionReader(_FormReader):
    """Options need their own hooks: <option> carries no name; its text and <optgroup> label are kept as
    attributes `_text` and `_group` (a dependent list, e.g. communes of a province, may be grouped so)."""

    _option: dict | None = None
    _group = ""

    def handle_starttag(self, tag, attrs):
        if tag == "optgroup":
            self._group = dict(attrs).get("label") or ""
        elif tag == "option" and self._select is not None:
            self._option = {k: v or "" for k, v in attrs} | {"_text": "", "_group": self._group}
            value = self._option.get("value", "")
            self._select.options.append((value, self._option))
            if "selected" in self._option:
                self._select.value = value
        else:
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self._group = ""
        elif tag == "option":
            self._option = None
        super().handle_endtag(tag)

    def handle_data(self, data):
        if self._option is not None:
            self._option["_text"] += data.strip()
        super().handle_data(data)


def forms_of(page: str) -> list[Form]:
    reader = _OptionReader()
    reader.feed(page)
    return reader.forms


def form_with(page: str, *names: str) -> Form:
    """The page's POST form holding every control named (the page's main form, not the language switch)."""
    for form in forms_of(page):
        if form.method == "post" and all(name in form.controls for name in names):
            return form
    raise LookupError(f"no POST form with {', '.join(names)} on the page")
