"""Headers every response carries: a Content-Security-Policy with no inline script, no framing, no address
(case addresses hold tracking codes) sent to other sites, no content-type guessing."""

import base64
import hashlib

from app.diagrams.svg import CSS as DIAGRAM_CSS


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # No inline style but the one fixed <style> of the auditors' inline SVG diagrams, allowed by its hash.
        f"style-src 'self' {_sha256_source(DIAGRAM_CSS)}",
        "img-src 'self' data:",  # data: for the empty favicon of base.html
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    # Not no-referrer: Flask-WTF checks the Referer of forms posted over HTTPS against our own host.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def add_security_headers(response):
    """after_request: every response, pages, files and error pages alike."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
