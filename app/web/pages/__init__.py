"""Every module here with a blueprint `bp` is registered; its `MENU` entries join the top menu."""

import importlib
import pkgutil


def page_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            yield module
