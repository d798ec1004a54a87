"""The monthly review's reopen: a clarification asked by the leader, not the sender (issue 16 point 5)

Revision ID: 0017_reopen
Revises: 0016_admin_ux
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_reopen"
down_revision = "0016_admin_ux"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("clarification", sa.Column("asked_as", sa.String(length=10), server_default="sender", nullable=False))


def downgrade():
    with op.batch_alter_table("clarification") as batch_op:
        batch_op.drop_column("asked_as")
