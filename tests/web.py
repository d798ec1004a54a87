"""Helpers for page tests through Flask's test client (real app, real database, CSRF on)."""

import re

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(client, path="/dang-nhap") -> str:
    page = client.get(path).data.decode()
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def log_in(client, username, password="demo123"):
    token = csrf_token(client)
    return client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": token})
