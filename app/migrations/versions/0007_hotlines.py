"""A province's own emergency and information numbers, shown before the submission form

Revision ID: 0007_hotlines
Revises: 0006_citizen_accounts
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_hotlines"
down_revision = "0006_citizen_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("province", sa.Column("hotlines", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("province") as batch_op:
        batch_op.drop_column("hotlines")
