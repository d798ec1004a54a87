"""Large audit data stored compressed (issue 18 point 3): `audit_entry.data_packed`

An entry whose JSON data is over PACK_OVER bytes (a submission with its content, an answer) is stored
zlib-compressed in the new `data_packed` column with `data_json` left empty; smaller data stays JSON text. This
revision packs existing rows without a dictionary (a frozen format); new entries are packed by app/audit/data.py
with a preset dictionary, which the downgrade reads too.

Existing rows are converted both ways in batches of BATCH keyed by id. The audit log's append-only guard (its
triggers, 0001_baseline) is lifted for the conversion alone and put back in the same transaction. A column is
added rather than the table rebuilt: a SQLite table copy would break the foreign keys that point at it.

The downgrade also rewrites the instance states written with a preset dictionary (app/engine/serialization.py,
first byte the dictionary's number) as zlib without one, the format the release before reads.

Revision ID: 0026_audit_compressed
Revises: 0024_list_indexes
Create Date: 2026-11-30
"""

import zlib
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0026_audit_compressed"
down_revision = "0025_duplicate_terms"
branch_labels = None
depends_on = None

BATCH = 1000
PACK_OVER = 1024  # app/audit/data.py, frozen here as this revision wrote it
LEVEL = 6
SQLITE_GUARD = (
    "CREATE TRIGGER audit_no_{verb} BEFORE {verb} ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
)
STATE_DICTIONARIES = Path(__file__).resolve().parents[2] / "engine" / "state_dictionaries"
AUDIT_DICTIONARIES = Path(__file__).resolve().parents[2] / "audit" / "dictionaries"
audit = sa.table("audit_entry", sa.column("id"), sa.column("data_json"), sa.column("data_packed"))


def _unguarded(change):
    """Run `change` with the append-only triggers lifted."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_no_{verb}")
    else:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_no_change")
    change()
    if sqlite:
        for verb in ("update", "delete"):
            op.execute(SQLITE_GUARD.format(verb=verb))
    else:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_no_change")


def _rewrite(which, change):
    """Rows chosen by `which`, rewritten through `change(data_json, data_packed)` → new values, BATCH at a time."""
    bind, last = op.get_bind(), 0
    while True:
        rows = bind.execute(
            sa.select(audit.c.id, audit.c.data_json, audit.c.data_packed)
            .where(audit.c.id > last, which)
            .order_by(audit.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [dict(key=key, **change(text, packed)) for key, text, packed in rows]
        bind.execute(
            audit.update()
            .where(audit.c.id == sa.bindparam("key"))
            .values(data_json=sa.bindparam("text"), data_packed=sa.bindparam("packed")),
            changed,
        )
        last = rows[-1][0]


def _pack(text, _packed) -> dict:
    raw = (text or "{}").encode()
    if len(raw) <= PACK_OVER:
        return {"text": text, "packed": None}
    return {"text": "", "packed": zlib.compress(raw, LEVEL)}


def _unpack(_text, packed) -> dict:
    """Packed by this revision (zlib, 0x78 first) or by app/audit/data.py with a dictionary (its number first)."""
    packed = bytes(packed)
    if packed[:1] == b"x":
        return {"text": zlib.decompress(packed).decode(), "packed": None}
    return {"text": _inflated(AUDIT_DICTIONARIES / f"{packed[0]}.zdict", packed[1:]).decode(), "packed": None}


def _inflated(dictionary: Path, stream: bytes) -> bytes:
    unpacker = zlib.decompressobj(zdict=dictionary.read_bytes())
    return unpacker.decompress(stream) + unpacker.flush()


def _states_without_dictionary():
    """Every state written with a preset dictionary rewritten as zlib without one, BATCH rows at a time."""
    bind, last = op.get_bind(), 0
    instance = sa.table("process_instance", sa.column("id"), sa.column("state"))
    while True:
        rows = bind.execute(
            sa.select(instance.c.id, instance.c.state).where(instance.c.id > last).order_by(instance.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {"key": key, "state": _zlib_only(bytes(state))} for key, state in rows if bytes(state)[:1] not in b"x{"
        ]
        if changed:
            bind.execute(
                instance.update().where(instance.c.id == sa.bindparam("key")).values(state=sa.bindparam("state")),
                changed,
            )
        last = rows[-1][0]


def _zlib_only(stored: bytes) -> bytes:
    return zlib.compress(_inflated(STATE_DICTIONARIES / f"{stored[0]}.zdict", stored[1:]), LEVEL)


def upgrade():
    op.add_column("audit_entry", sa.Column("data_packed", sa.LargeBinary(), nullable=True))
    # a text over PACK_OVER bytes has over PACK_OVER / 4 characters (UTF-8): the index-free filter skips most rows
    _unguarded(lambda: _rewrite(sa.func.length(audit.c.data_json) > PACK_OVER // 4, _pack))


def downgrade():
    _states_without_dictionary()
    _unguarded(lambda: _rewrite(audit.c.data_packed.is_not(None), _unpack))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE audit_entry DROP COLUMN data_packed")  # in place: no table copy (see above)
    else:
        op.drop_column("audit_entry", "data_packed")
