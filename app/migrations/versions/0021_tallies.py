"""A count kept by the database: published petitions (issue 18 point 2, the start page's figure)

The anonymous and staff start pages show how many answers are published; counting them read every published
row (0.7 s at 1,000,000 cases on PostgreSQL). Triggers keep the count in `petition_tally` on every write, Core
writes included, in the writer's transaction.

Revision ID: 0021_tallies
Revises: 0020_fulltext
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_tallies"
down_revision = "0020_fulltext"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE TRIGGER petition_tally_insert AFTER INSERT ON petition WHEN new.published_at IS NOT NULL BEGIN "
    "UPDATE petition_tally SET value = value + 1 WHERE name = 'published'; END",
    "CREATE TRIGGER petition_tally_update AFTER UPDATE OF published_at ON petition "
    "WHEN (old.published_at IS NULL) <> (new.published_at IS NULL) BEGIN "
    "UPDATE petition_tally SET value = value + (CASE WHEN new.published_at IS NULL THEN -1 ELSE 1 END) "
    "WHERE name = 'published'; END",
    "CREATE TRIGGER petition_tally_delete AFTER DELETE ON petition WHEN old.published_at IS NOT NULL BEGIN "
    "UPDATE petition_tally SET value = value - 1 WHERE name = 'published'; END",
]
POSTGRESQL = [
    """CREATE FUNCTION petition_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE delta integer := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.published_at IS NOT NULL THEN delta := delta - 1; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.published_at IS NOT NULL THEN delta := delta + 1; END IF;
  IF delta <> 0 THEN UPDATE petition_tally SET value = value + delta WHERE name = 'published'; END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER petition_tally AFTER INSERT OR DELETE OR UPDATE OF published_at ON petition "
    "FOR EACH ROW EXECUTE FUNCTION petition_tally()",
]


def upgrade():
    op.create_table(
        "petition_tally",
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_petition_tally")),
    )
    op.execute(
        "INSERT INTO petition_tally (name, value) "
        "SELECT 'published', count(*) FROM petition WHERE published_at IS NOT NULL"
    )
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER petition_tally_{trigger}")
    else:
        op.execute("DROP TRIGGER petition_tally ON petition")
        op.execute("DROP FUNCTION petition_tally()")
    op.drop_table("petition_tally")
