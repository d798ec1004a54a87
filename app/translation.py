"""The one translation catalogue: Vietnamese msgids in code, templates and data files; each other language in
app/web/translations/<lang>/LC_MESSAGES/messages.po, compiled to messages.mo. Flask-free, so that the CLI, the
scheduler and the tests translate exactly as the web does (the web only tells which language a request wants).
"""

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

CATALOGUE = Path(__file__).resolve().parent / "web" / "translations"
DOMAIN = "messages"
SOURCE_LANGUAGE = "vi"  # msgids are Vietnamese: no catalogue for it

_language_source: list[Callable[[], str | None]] = []


def N_(msgid: str) -> str:
    """Marks a msgid for extraction where the text is kept as data (seeded rows) and translated when shown."""
    return msgid


def compile_catalogue(directory: Path = CATALOGUE):
    """Compile each language's messages.po to messages.mo when the .mo is missing or older (kept out of git)."""
    for po_path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic: a concurrent start never reads half a file


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (Vietnamese, or a language without one, keeps the msgids)."""
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    compile_catalogue()
    return Translations.load(str(CATALOGUE), [lang], DOMAIN)


def translate(text, lang: str) -> str:
    """A msgid (a LazyText, or a plain string such as a label from a form file) in `lang`."""
    if isinstance(text, LazyText):
        return text.translate(lang)
    return translations(lang).gettext(str(text)) if text else ""


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """A text with a number in `lang` (English has two forms; Vietnamese one), before its `%(num)s` is filled."""
    return translations(lang).ngettext(singular, plural, n)


def use_language_source(source: Callable[[], str | None]):
    """The web registers how to read the current request's language; elsewhere it is Vietnamese."""
    _language_source[:] = [source]


def current_language() -> str:
    lang = _language_source[0]() if _language_source else None
    return lang or SOURCE_LANGUAGE


def lazy_gettext(msgid: str) -> "LazyText":
    """A module-level label: stays a msgid until shown, then speaks the language of the moment."""
    return LazyText(msgid)


def lazy_pgettext(context: str, msgid: str) -> "LazyText":
    """As lazy_gettext, for a Vietnamese text whose English depends on where it stands (role vs area …)."""
    return LazyText(msgid, context)


class LazyText:
    """A msgid (with its context) that behaves as the text in the current language wherever a str is read."""

    __slots__ = ("context", "msgid")

    def __init__(self, msgid: str, context: str | None = None):
        self.msgid, self.context = msgid, context

    def translate(self, lang: str) -> str:
        catalogue = translations(lang)
        return catalogue.pgettext(self.context, self.msgid) if self.context else catalogue.gettext(self.msgid)

    def __str__(self) -> str:
        return self.translate(current_language())

    def __repr__(self) -> str:
        return f"LazyText({self.msgid!r}, context={self.context!r})"

    def __getattr__(self, name):
        if name.startswith("__") or name in self.__slots__:
            raise AttributeError(name)  # copying and unpickling probe these: never translate for them
        return getattr(str(self), name)  # str methods (replace, startswith, …) on the text of the moment

    def __len__(self):
        return len(str(self))

    def __iter__(self):
        return iter(str(self))

    def __contains__(self, item):
        return item in str(self)

    def __getitem__(self, key):
        return str(self)[key]

    def __add__(self, other):
        return str(self) + str(other)

    def __radd__(self, other):
        return str(other) + str(self)

    def __mod__(self, values):
        return str(self) % values

    def __eq__(self, other):
        return str(self) == (str(other) if isinstance(other, LazyText) else other)

    def __lt__(self, other):
        return str(self) < str(other)

    def __hash__(self):
        return hash(str(self))
