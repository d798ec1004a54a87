"""An audit entry's data as stored: the one encoder and decoder of every writer (ORM or Core insert) and reader.

Small data stays JSON text in `data_json`, which an operator's SQL can read; data over PACK_OVER bytes (a
submission's content, an answer) is stored compressed in `data_packed`, with `data_json` left empty: one byte
naming the preset dictionary of the product's Vietnamese (make_audit_dictionary.py) it was packed with, then the
zlib stream. A value starting with zlib's own 0x78 was packed without a dictionary (by migration 0026).
"""

import json
import zlib
from pathlib import Path

PACK_OVER = 1024  # bytes of JSON: a submission or an answer is packed, the task and timer entries stay text
LEVEL = 6  # zlib's default; level 9 saves under 1 % on these sizes
DICTIONARY_DIR = Path(__file__).with_name("dictionaries")
# every released dictionary by its number (never edited nor deleted: packed entries name them); the last packs
DICTIONARIES = {int(path.stem): path.read_bytes() for path in DICTIONARY_DIR.glob("*.zdict")}
WRITING = max(DICTIONARIES, default=None)


def audit_columns(data: dict | None) -> dict:
    """The stored columns (`data_json`, `data_packed`) of an entry holding `data`."""
    text = json.dumps(data or {}, ensure_ascii=False, default=str, sort_keys=True)
    raw = text.encode()
    if len(raw) <= PACK_OVER:
        return {"data_json": text, "data_packed": None}
    if WRITING is None:
        return {"data_json": "", "data_packed": zlib.compress(raw, LEVEL)}
    packer = zlib.compressobj(LEVEL, zdict=DICTIONARIES[WRITING])
    return {"data_json": "", "data_packed": bytes((WRITING,)) + packer.compress(raw) + packer.flush()}


def audit_text(data_json: str | None, data_packed: bytes | None) -> str:
    """The JSON of an entry's data, from whichever column holds it."""
    if data_packed is None:
        return data_json or "{}"
    packed = bytes(data_packed)
    if packed[:1] == b"x":  # zlib's stream without a dictionary
        return zlib.decompress(packed).decode()
    if packed[0] not in DICTIONARIES:
        raise ValueError(f"audit data packed with dictionary {packed[0]}, which this release does not have")
    unpacker = zlib.decompressobj(zdict=DICTIONARIES[packed[0]])
    return (unpacker.decompress(packed[1:]) + unpacker.flush()).decode()


def audit_data(data_json: str | None, data_packed: bytes | None) -> dict:
    """An entry's data as the writer gave it (after a JSON round trip)."""
    return json.loads(audit_text(data_json, data_packed))
