"""An audit entry's data as stored: the one encoder and decoder of every writer (ORM or Core insert) and reader.

Small data stays JSON text in `data_json`, which an operator's SQL can read; data over PACK_OVER bytes (a
submission's content, an answer) is stored zlib-compressed in `data_packed`, with `data_json` left empty. A
packed value starts with zlib's 0x78, so a later format (a preset dictionary) can be told apart by a first byte.
"""

import json
import zlib

PACK_OVER = 1024  # bytes of JSON: a submission or an answer is packed, the task and timer entries stay text
LEVEL = 6  # zlib's default; level 9 saves under 1 % on these sizes


def audit_columns(data: dict | None) -> dict:
    """The stored columns (`data_json`, `data_packed`) of an entry holding `data`."""
    text = json.dumps(data or {}, ensure_ascii=False, default=str, sort_keys=True)
    raw = text.encode()
    if len(raw) <= PACK_OVER:
        return {"data_json": text, "data_packed": None}
    return {"data_json": "", "data_packed": zlib.compress(raw, LEVEL)}


def audit_text(data_json: str | None, data_packed: bytes | None) -> str:
    """The JSON of an entry's data, from whichever column holds it."""
    if data_packed is not None:
        return zlib.decompress(bytes(data_packed)).decode()
    return data_json or "{}"


def audit_data(data_json: str | None, data_packed: bytes | None) -> dict:
    """An entry's data as the writer gave it (after a JSON round trip)."""
    return json.loads(audit_text(data_json, data_packed))
