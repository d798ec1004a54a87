"""A case linked to the earlier one it duplicates or repeats, and the indexes that find such candidates

Revision ID: 0012_duplicates
Revises: 0011_reports
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_duplicates"
down_revision = "0011_reports"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite: an inline REFERENCES, not a batch (rebuilding petition breaks the tables that refer to it)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE petition ADD COLUMN original_id INTEGER "
            "CONSTRAINT fk_petition_original_id_petition REFERENCES petition (id)"
        )
    else:
        op.add_column("petition", sa.Column("original_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_petition_original_id_petition"), "petition", "petition", ["original_id"], ["id"])
    op.add_column("petition", sa.Column("link_kind", sa.String(length=10), nullable=True))
    op.create_index(op.f("ix_petition_original_id"), "petition", ["original_id"], unique=False)
    places = ["province_code", "field_code", "commune_code", "received_at"]
    op.create_index("ix_petition_place", "petition", places, unique=False)
    op.create_index("ix_petition_sender_phone", "petition", ["province_code", "sender_phone"], unique=False)
    op.create_index("ix_petition_sender_email", "petition", ["province_code", "sender_email"], unique=False)


def downgrade():
    op.drop_index("ix_petition_sender_email", table_name="petition")
    op.drop_index("ix_petition_sender_phone", table_name="petition")
    op.drop_index("ix_petition_place", table_name="petition")
    op.drop_index(op.f("ix_petition_original_id"), table_name="petition")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("link_kind")
        batch_op.drop_column("original_id")
