"""Hiding a report from the public with a reason from an administered list

Revision ID: 0008_moderation
Revises: 0007_hotlines
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_moderation"
down_revision = "0007_hotlines"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "hide_reason",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("needs_text", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_hide_reason")),
    )
    op.add_column("petition", sa.Column("hidden_reason", sa.String(length=30), nullable=True))
    op.add_column("petition", sa.Column("hidden_note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("hidden_note")
        batch_op.drop_column("hidden_reason")
    op.drop_table("hide_reason")
