"""The digest of each petition's text, the key of its cached term vectors (issue 18 point 3)

Duplicate detection scores up to 200 candidates at submission and at classification; reading their title and
content was half its cost. `petition.text_digest` = md5 of "title\\ncontent": each process keeps the term vectors
it computed by that digest (app/petitions/duplicates.py) and reads a candidate's text only when it holds none.

The ORM sets it on every write of the text (app/petitions/models.py). For any other writer (Core, SQL, another
program): PostgreSQL computes it itself on every insert and every update of the text; SQLite (no md5) clears it
when the text changes and the digest does not, so a text written without it is read, never scored stale. Rows
already there get theirs here.

Revision ID: 0025_duplicate_terms
Revises: 0024_list_indexes
Create Date: 2026-11-30
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0025_duplicate_terms"
down_revision = "0024_list_indexes"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE TRIGGER petition_text_digest AFTER UPDATE OF title, content ON petition "
    "WHEN new.text_digest IS old.text_digest AND (new.title IS NOT old.title OR new.content IS NOT old.content) "
    "BEGIN UPDATE petition SET text_digest = NULL WHERE id = new.id; END",
]
POSTGRESQL = [
    """CREATE FUNCTION petition_text_digest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.text_digest := md5(NEW.title || E'\\n' || NEW.content);
  RETURN NEW;
END $$""",
    "CREATE TRIGGER petition_text_digest BEFORE INSERT OR UPDATE OF title, content, text_digest ON petition "
    "FOR EACH ROW EXECUTE FUNCTION petition_text_digest()",
]
BATCH = 1000  # rows digested per round trip (SQLite)


def upgrade():
    bind = op.get_bind()
    op.add_column("petition", sa.Column("text_digest", sa.String(length=32), nullable=True))
    if bind.dialect.name == "postgresql":
        op.execute("UPDATE petition SET text_digest = md5(title || E'\\n' || content)")
        for statement in POSTGRESQL:
            op.execute(statement)
        return
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, title, content FROM petition WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            break
        digests = [{"d": _digest(r.title, r.content), "i": r.id} for r in rows]
        bind.execute(sa.text("UPDATE petition SET text_digest = :d WHERE id = :i"), digests)
        last = rows[-1].id
    for statement in SQLITE:
        op.execute(statement)


def _digest(title: str, content: str) -> str:
    """As app/petitions/duplicates.py's text_digest (a migration does not import the app's code)."""
    return hashlib.md5(f"{title}\n{content}".encode(), usedforsecurity=False).hexdigest()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER petition_text_digest ON petition")
        op.execute("DROP FUNCTION petition_text_digest()")
    else:
        op.execute("DROP TRIGGER petition_text_digest")
    op.drop_column("petition", "text_digest")  # SQLite's own DROP COLUMN: no rebuild (its triggers stay)
