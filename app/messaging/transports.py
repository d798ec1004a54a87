"""How messages leave: e-mail over SMTP, SMS through an HTTP gateway, or the log (the default of both).

Configured from the environment (README "Messages"):
- SMTP_URL  smtp://user:password@host:587 (STARTTLS when offered; ?starttls=require refuses to send without it,
  ?starttls=off never), smtps://…:465 (TLS from the start); ?cafile=/path trusts a private CA. MAIL_FROM.
- SMS_URL   a URL template with {to} and {text}, e.g. https://sms.example.vn/send?to={to}&text={text} (GET);
  with SMS_BODY (a template too) the request is a POST of that body, SMS_CONTENT_TYPE form (default) or JSON;
  SMS_USER/SMS_PASSWORD (basic) or SMS_TOKEN (bearer).
A transport raises Refused when the message can never go (bad address, rejected recipient) and Unavailable when
it may go later (server down, timeout, 5xx): the outbox retries the latter and dead-letters the former.
"""

import json
import logging
import re
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr

log = logging.getLogger("pakn.messages")
TIMEOUT = 10  # seconds: a stuck server delays the worker, never a web request
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


class Refused(Exception):
    """This message can never be delivered (dead-lettered at once)."""


class Unavailable(Exception):
    """Not now: try again later."""


class ServerDown(Unavailable):
    """The server itself cannot be reached (or refuses every message): the rest of the batch waits for later."""


@dataclass(frozen=True)
class Outgoing:
    channel: str
    recipient: str
    subject: str | None
    body: str


class LogTransport:
    """Writes the message to the log: the demo's and an unconfigured installation's transport."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message: Outgoing):
        log.info("%s to %s: %s\n%s", message.channel, message.recipient, message.subject or "", message.body)

    def close(self):
        pass


class SmtpTransport:
    """One SMTP connection reused for a batch; reopened after a failure."""

    def __init__(self, url: str, sender: str, timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(url)
        options = dict(urllib.parse.parse_qsl(parts.query))
        self.implicit_tls = parts.scheme == "smtps"
        self.host, self.port = parts.hostname or "localhost", parts.port or (465 if self.implicit_tls else 25)
        self.user = urllib.parse.unquote(parts.username) if parts.username else None
        self.password = urllib.parse.unquote(parts.password) if parts.password else None
        self.starttls = options.get("starttls", "auto")
        self.context = ssl.create_default_context(cafile=options.get("cafile"))
        self.sender, self.timeout, self.connection = sender, timeout, None

    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.starttls != "off" and smtp.has_extn("starttls"):
                smtp.starttls(context=self.context)
                smtp.ehlo()
            elif self.starttls == "require":
                smtp.close()
                raise ServerDown(f"{self.host} does not offer STARTTLS (starttls=require)")
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, message: Outgoing):
        if "@" not in message.recipient or any(c in message.recipient for c in "\r\n <>"):
            raise Refused(f"not an e-mail address: {message.recipient!r}")
        mail = _mail(self.sender, message)
        try:
            self.connection = self.connection or self._connect()
            self.connection.send_message(mail)
        except smtplib.SMTPRecipientsRefused as refused:
            reason = f"recipient refused: {_smtp_reason(refused.recipients)}"
            if all(code >= 500 for code, _ in refused.recipients.values()):
                raise Refused(reason) from None
            raise Unavailable(reason) from None  # 4xx: greylisting, full mailbox
        except smtplib.SMTPDataError as err:
            self.close()
            if 500 <= err.smtp_code < 600:
                raise Refused(f"message refused: {err.smtp_code} {_text(err.smtp_error)}") from None
            raise Unavailable(f"{err.smtp_code} {_text(err.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as err:  # down, timeout, TLS, login: the configuration may be fixed
            self.close()
            raise ServerDown(f"{type(err).__name__}: {err}") from None

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


class SmsGateway:
    """An HTTP SMS gateway, described by a URL template (and a body template for POST)."""

    def __init__(self, url: str, body=None, content_type="form", user=None, password=None, token=None):
        self.url, self.body, self.json = url, body, content_type == "json"
        self.headers = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif user:
            self.headers["Authorization"] = "Basic " + b64encode(f"{user}:{password or ''}".encode()).decode()

    def send(self, message: Outgoing):
        phone = re.sub(r"[\s.\-()]", "", message.recipient)
        if not PHONE.match(phone):
            raise Refused(f"not a phone number: {message.recipient!r}")
        url = _fill(self.url, urllib.parse.quote(phone), urllib.parse.quote(message.body))
        data = None
        if self.body is not None:
            quote = (lambda v: json.dumps(v)[1:-1]) if self.json else urllib.parse.quote_plus
            data = _fill(self.body, quote(phone), quote(message.body)).encode()
            kind = "application/json" if self.json else "application/x-www-form-urlencoded"
            self.headers["Content-Type"] = kind
        request = urllib.request.Request(url, data=data, headers=self.headers, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read(4096)
        except urllib.error.HTTPError as err:
            if 400 <= err.code < 500 and err.code not in (408, 429):
                raise Refused(f"gateway refused: HTTP {err.code}") from None
            raise ServerDown(f"gateway: HTTP {err.code}") from None
        except (urllib.error.URLError, OSError) as err:
            raise ServerDown(f"gateway: {err}") from None

    def close(self):
        pass


class TransportSettingRefused(ValueError):
    """SMTP_URL or SMS_URL cannot be used as written: named with the reason, for the operator to fix."""


def transports_from(env) -> dict:
    """The transport of each channel from the environment (`os.environ` or a dict); a setting that cannot work (a
    port that is no number, a certificate file that is missing) is refused at start, naming it."""
    try:
        return _transports(env)
    except (ValueError, OSError) as err:
        names = [name for name in ("SMTP_URL", "SMS_URL") if env.get(name)]
        raise TransportSettingRefused(f"{' or '.join(names) or 'mail settings'} cannot be used: {err}") from err


def _transports(env) -> dict:
    transports = {"email": LogTransport("email"), "sms": LogTransport("sms")}
    if env.get("SMTP_URL"):
        transports["email"] = SmtpTransport(env["SMTP_URL"], env.get("MAIL_FROM") or "PAKN <no-reply@localhost>")
    if env.get("SMS_URL"):
        transports["sms"] = SmsGateway(
            env["SMS_URL"],
            body=env.get("SMS_BODY"),
            content_type=env.get("SMS_CONTENT_TYPE", "form"),
            user=env.get("SMS_USER"),
            password=env.get("SMS_PASSWORD"),
            token=env.get("SMS_TOKEN"),
        )
    return transports


def _fill(template: str, to: str, text: str) -> str:
    """The template with {to} and {text} filled; its other braces kept (a JSON body is full of them)."""
    return template.replace("{to}", to).replace("{text}", text)


def _mail(sender: str, message: Outgoing) -> MIMEText:
    """The e-mail of `message`. Headers are encoded by email.header: Python 3.11's default policy drops the space
    where it folds a long Vietnamese subject between two encoded words ("ý kiến" arrives as "ýkiến")."""
    mail = MIMEText(message.body, "plain", "utf-8")
    name, address = parseaddr(sender)
    mail["From"] = formataddr((name, address), "utf-8")
    mail["To"] = message.recipient
    mail["Subject"] = Header(message.subject or "", "utf-8")
    mail["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    return mail


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _smtp_reason(recipients: dict) -> str:
    return "; ".join(f"{address}: {code} {_text(text)}" for address, (code, text) in recipients.items())
