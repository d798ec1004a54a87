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


CARRIED = re.compile(r'<input type="hidden" name="(document(?:-\d+)?)" value="([^"]*)">')


def confirm_deploy(client, preview_page: str):
    """Post the deploy confirmation of a preview page (the files it carries) as its button would."""
    form = preview_page.split('class="confirm"')[1].split("</form>")[0]
    token = TOKEN.search(form)
    data = {"csrf_token": token.group(1) or token.group(2)}
    for name, value in CARRIED.findall(form):
        data.setdefault(name, []).append(value)
    return client.post("/quan-tri/quy-trinh/trien-khai", data=data, content_type="multipart/form-data")
