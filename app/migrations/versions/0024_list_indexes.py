"""Indexes of the last lists over 50 ms at 1,000,000 cases (issue 18 point 1)

- The unit case list searched for words: a trigram index over `petition.staff_search` (the folded code, title and
  sender's name the list's `LIKE '%word%'` reads), so the cases holding a rare word are found in the index, not by
  reading every case of the unit. PostgreSQL: pg_trgm's GIN index (a trusted extension: the database's owner may
  create it). SQLite: an FTS5 table with the trigram tokenizer over `staff_search` (external content, no second
  copy of the text) kept by triggers — a later SQLite migration that rebuilds `petition` must create them again,
  as for 0020_fulltext's. See app/petitions/staff_search.py.
- The auditor's search, newest first with ties by id: `(received_at, id)` in place of `(received_at)`, so
  PostgreSQL reads the index backwards and stops at the 200th row instead of sorting every case of the newest
  received instants (clones and batch imports share them).
- The inboxes narrowed by field (status, province): the open tasks find their case by tracking code; with
  `(tracking_code, field_code, status, province_code)` the case's field is read on the index (an index-only scan
  on PostgreSQL, a covering index on SQLite) instead of fetching each case's row: the intake office's 2,382 open
  tasks at 1,000,000 cases, 38 → 22 ms in the database.

Revision ID: 0024_list_indexes
Revises: 0023_state_blob
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_list_indexes"
down_revision = "0023_state_blob"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE petition_staff_fts USING fts5(staff_search, content='petition', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER petition_staff_fts_insert AFTER INSERT ON petition BEGIN "
    "INSERT INTO petition_staff_fts (rowid, staff_search) VALUES (new.id, new.staff_search); END",
    "CREATE TRIGGER petition_staff_fts_delete AFTER DELETE ON petition BEGIN "
    "INSERT INTO petition_staff_fts (petition_staff_fts, rowid, staff_search) "
    "VALUES ('delete', old.id, old.staff_search); END",
    "CREATE TRIGGER petition_staff_fts_update AFTER UPDATE OF staff_search ON petition BEGIN "
    "INSERT INTO petition_staff_fts (petition_staff_fts, rowid, staff_search) "
    "VALUES ('delete', old.id, old.staff_search); "
    "INSERT INTO petition_staff_fts (rowid, staff_search) VALUES (new.id, new.staff_search); END",
    "INSERT INTO petition_staff_fts (petition_staff_fts) VALUES ('rebuild')",  # the rows already there
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # on an expression the list's own query does not write: its LIKE with a bound pattern would otherwise get a
    # generic plan (psycopg prepares a statement run five times) reading the index for any word, 1.5 s for "an"
    "CREATE INDEX ix_petition_staff_search_trgm ON petition USING gin ((coalesce(staff_search, '')) gin_trgm_ops)",
]


def upgrade():
    bind = op.get_bind()
    for statement in SQLITE if bind.dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)
    if bind.dialect.name == "postgresql" and bind.execute(sa.text("SELECT EXISTS (SELECT 1 FROM petition)")).scalar():
        # the expression's statistics, or the planner guesses every word rare and checks 370,000 rows for "chiem"
        op.execute("ANALYZE petition")
    op.drop_index("ix_petition_received_at", table_name="petition")
    op.create_index("ix_petition_received_id", "petition", ["received_at", "id"])
    op.create_index("ix_petition_code_filters", "petition", ["tracking_code", "field_code", "status", "province_code"])


def downgrade():
    op.drop_index("ix_petition_code_filters", table_name="petition")
    op.drop_index("ix_petition_received_id", table_name="petition")
    op.create_index("ix_petition_received_at", "petition", ["received_at"])
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER petition_staff_fts_{trigger}")
        op.execute("DROP TABLE petition_staff_fts")
    else:
        op.drop_index("ix_petition_staff_search_trgm", table_name="petition")
