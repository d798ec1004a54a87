"""The public search on a full-text index kept by the database itself (issue 18 point 2)

PostgreSQL: a stored column search_vector = to_tsvector('simple', search_text) with a GIN index.
SQLite: an FTS5 table over petition.search_text
(external content, no copy of the text) kept by triggers. Both follow every write, Core inserts included.
Why 'simple' without unaccent: see app/petitions/fulltext.py.

Revision ID: 0020_fulltext
Revises: 0018_scale_lists
Create Date: 2026-11-30
"""

from alembic import op

revision = "0020_fulltext"
down_revision = "0018_scale_lists"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE petition_fts USING fts5(search_text, content='petition', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER petition_fts_insert AFTER INSERT ON petition BEGIN "
    "INSERT INTO petition_fts (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER petition_fts_delete AFTER DELETE ON petition BEGIN "
    "INSERT INTO petition_fts (petition_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER petition_fts_update AFTER UPDATE OF search_text ON petition BEGIN "
    "INSERT INTO petition_fts (petition_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO petition_fts (rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO petition_fts (petition_fts) VALUES ('rebuild')",  # the rows already there
]
POSTGRESQL = [
    # stored, not an expression index: a match re-checks the stored vector instead of parsing the text again, and
    # ANALYZE keeps statistics of its words, so the planner knows a common word from a rare one
    "ALTER TABLE petition ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_petition_search_fts ON petition USING gin (search_vector)",
]


def upgrade():
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER petition_fts_{trigger}")
        op.execute("DROP TABLE petition_fts")
    else:
        op.drop_index("ix_petition_search_fts", table_name="petition")
        op.drop_column("petition", "search_vector")
