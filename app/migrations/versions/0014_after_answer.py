"""After the answer: the sender's clarifying replies and the answering agency's clarifications (seed 002 Art. 12)

Revision ID: 0014_after_answer
Revises: 0013_monthly_review
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_after_answer"
down_revision = "0013_monthly_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clarification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("agency_code", sa.String(length=50), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.String(length=100), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_clarification_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_clarification_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clarification")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_clarification_instance_id")),
    )
    op.create_index(op.f("ix_clarification_petition_id"), "clarification", ["petition_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_clarification_petition_id"), table_name="clarification")
    op.drop_table("clarification")
