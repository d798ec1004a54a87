"""Deadline runs record how they ended: when, with which verdict (met, missed, not applicable), and the working
days their clock stood still (an answer in the intake office's review), and the agency that answers for them

Revision ID: 0009_coordination
Revises: 0008_moderation
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_coordination"
down_revision = "0008_moderation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_deadline") as batch_op:
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("verdict", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("paused_days", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("agency_code", sa.String(length=50), nullable=True))


def downgrade():
    with op.batch_alter_table("case_deadline") as batch_op:
        batch_op.drop_column("agency_code")
        batch_op.drop_column("paused_days")
        batch_op.drop_column("verdict")
        batch_op.drop_column("ended_at")
