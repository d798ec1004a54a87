"""An audit entry's data as stored: the one encoder and decoder of every writer (ORM or Core insert) and reader.

Small data stays JSON text in `data_json`, which an operator's SQL can read; data over PACK_OVER bytes (a
submission's content, an answer) is stored compressed in `data_packed`, with `data_json` left empty: one byte
naming the preset dictionary of the product's Vietnamese (make_audit_dictionary.py) it was packed with, then the
zlib stream (app/packing.py). A value starting with zlib's own 0x78 was packed without one (by migration 0026).
"""

import json
from pathlib import Path

from app.packing import Dictionaries

PACK_OVER = 1024  # bytes of JSON: a submission or an answer is packed, the task and timer entries stay text
LEVEL = 6  # zlib's default; level 9 saves under 1 % on these sizes
DICTIONARY_DIR = Path(__file__).with_name("dictionaries")
_packing = Dictionaries(DICTIONARY_DIR, LEVEL)
WRITING = _packing.writing  # the newest dictionary packs


def audit_columns(data: dict | None) -> dict:
    """The stored columns (`data_json`, `data_packed`) of an entry holding `data`."""
    text = json.dumps(data or {}, ensure_ascii=False, default=str, sort_keys=True)
    raw = text.encode()
    if len(raw) <= PACK_OVER:
        return {"data_json": text, "data_packed": None}
    return {"data_json": "", "data_packed": _packing.pack(raw)}


def audit_text(data_json: str | None, data_packed: bytes | None) -> str:
    """The JSON of an entry's data, from whichever column holds it."""
    if data_packed is None:
        return data_json or "{}"
    return _packing.unpack(bytes(data_packed), "audit data").decode()


def audit_data(data_json: str | None, data_packed: bytes | None) -> dict:
    """An entry's data as the writer gave it (after a JSON round trip)."""
    return json.loads(audit_text(data_json, data_packed))
