"""Instance states stored compressed (issue 18 point 3): `process_instance.state` (zlib JSON) for `state_json`

A finished petition's state was 27 KB of JSON, its task tree's ids, names and keys repeated; compressed it is
3 KB. Rows are converted in batches of BATCH, keyed by id, so memory stays flat on a large table.

Revision ID: 0023_state_blob
Revises: 0022_unit_cases
Create Date: 2026-11-30
"""

import zlib

import sqlalchemy as sa
from alembic import op

revision = "0023_state_blob"
down_revision = "0022_unit_cases"
branch_labels = None
depends_on = None

BATCH = 1000
LEVEL = 6  # app/engine/serialization.py STATE_COMPRESSION


def _convert(source: str, target: str, change):
    """Copy each row's `source` column into `target` through `change`, BATCH rows at a time."""
    bind = op.get_bind()
    table = sa.table("process_instance", sa.column("id"), sa.column(source), sa.column(target))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c[source]).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            table.update().where(table.c.id == sa.bindparam("key")).values({target: sa.bindparam("value")}),
            [{"key": key, "value": change(value)} for key, value in rows],
        )
        last = rows[-1][0]


def _compressed(value) -> bytes:
    return zlib.compress((value or "").encode(), LEVEL)


def _plain(value) -> str:
    data = bytes(value or b"")
    return (zlib.decompress(data) if data[:1] == b"x" else data).decode()


def _replace(old: str, new: str, new_type, change):
    """`new` filled from `old` through `change`, then `old` dropped. SQLite (3.35+) drops a column in place: a
    batch copy of the table would drop it first, which the foreign keys of work items, audit… refuse."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    # SQLite adds a NOT NULL column only with a default; every row gets its value below
    default = sa.text("X''") if sqlite and new_type is sa.LargeBinary else sa.text("''") if sqlite else None
    op.add_column("process_instance", sa.Column(new, new_type(), nullable=not sqlite, server_default=default))
    _convert(old, new, change)
    if sqlite:
        op.execute(f"ALTER TABLE process_instance DROP COLUMN {old}")
    else:
        op.alter_column("process_instance", new, existing_type=new_type(), nullable=False)
        op.drop_column("process_instance", old)


def upgrade():
    _replace("state_json", "state", sa.LargeBinary, _compressed)
    if op.get_bind().dialect.name == "postgresql":
        # kept in the row (up to a page), not in TOAST: a read or an update of 3 KB touches no TOAST index and
        # chunks, and pglz is not tried again on what zlib compressed
        op.execute("ALTER TABLE process_instance ALTER COLUMN state SET STORAGE MAIN")


def downgrade():
    _replace("state", "state_json", sa.Text, _plain)
