"""Write a new preset dictionary for packed audit data from the product's own Vietnamese text.

    .venv/bin/python -m app.audit.make_audit_dictionary

The words and phrases (one to four words) that recur in the product's Vietnamese — every msgid of the catalogue
(app/web/translations/en/LC_MESSAGES/messages.po) and the demo petitions (app/demo_cases.toml) — ranked by how
often they occur times their length, the most valuable last (zlib reaches the end of a dictionary most cheaply),
are written as the next `dictionaries/<n>.zdict`, which app/audit/data.py then packs new entries with. A
submission's content or an answer of 1–2 KB has no history of its own to refer back to: the dictionary gives it
one (−15 % on the law's own texts, which are not part of it).

Never edit or delete a dictionary file once released: every entry packed with it names it by its number.
"""

import re
import tomllib
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

from app.audit.data import DICTIONARY_DIR
from app.packing import Dictionaries

APP = Path(__file__).resolve().parent.parent
SIZE = 16 * 1024  # twice that saves 2 % more and costs twice the time to prime zlib on every packed entry
LONGEST = 4  # words in a phrase


def product_text() -> list[str]:
    with open(APP / "web/translations/en/LC_MESSAGES/messages.po", "rb") as file:
        texts = [m.id for m in read_po(file) if m.id and isinstance(m.id, str)]
    with open(APP / "demo_cases.toml", "rb") as file:
        cases = tomllib.load(file)["case"]
    return texts + [case[key] for case in cases for key in ("title", "content") if key in case]


def dictionary(texts: list[str]) -> bytes:
    counts = Counter()
    for text in texts:
        words = re.findall(r"\w+", text)
        for n in range(1, LONGEST + 1):
            counts.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    recurring = sorted((p for p, c in counts.items() if c > 1), key=lambda p: (counts[p] * len(p.encode()), p))
    chosen, size = [], 0
    for phrase in reversed(recurring):  # the most valuable first, until the dictionary is full
        piece = f" {phrase}".encode()
        if size + len(piece) > SIZE:
            break
        chosen.append(piece)
        size += len(piece)
    return b"".join(reversed(chosen))


def main():
    path = Dictionaries(DICTIONARY_DIR).next_path()
    path.write_bytes(dictionary(product_text()))
    print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
