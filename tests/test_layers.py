"""The layers' nevers, checked on the import statements: the engine and the calendars never import the web, and
no domain module imports Flask (pages call the domain, never the other way round)."""

import ast
from pathlib import Path

from app.config import ROOT

APP = ROOT / "app"
WEB_ENTRIES = {APP / "__init__.py", APP / "wsgi.py"}  # create_app and gunicorn's entry build the web app


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(*folders: str):
    for folder in folders:
        yield from sorted((APP / folder).rglob("*.py"))


def test_the_engine_and_the_calendars_never_import_the_web_or_the_domain_above_them():
    above = ("app.web", "flask", "app.petitions", "app.tasks", "app.administration", "app.inspection")
    offending = {
        str(path.relative_to(ROOT)): sorted(name for name in imports(path) if name.startswith(above))
        for path in modules("engine", "calendars")
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_no_domain_module_imports_flask():
    domain = [p for p in APP.rglob("*.py") if "web" not in p.relative_to(APP).parts[:1] and p not in WEB_ENTRIES]
    flask = ("flask", "flask_babel", "flask_login", "flask_wtf")
    offending = {
        str(path.relative_to(ROOT)): sorted(n for n in imports(path) if n.split(".")[0] in flask) for path in domain
    }
    assert {path: names for path, names in offending.items() if names} == {}
