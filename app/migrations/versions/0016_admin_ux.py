"""An earlier process version made current again by an administrator: new instances start on it

Revision ID: 0016_admin_ux
Revises: 0015_dashboards
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_admin_ux"
down_revision = "0015_dashboards"
branch_labels = None
depends_on = None
FOREIGN_KEY = "fk_process_current_definition_id_process_definition"


def upgrade():
    op.create_table(
        "process_current",
        sa.Column("process_key", sa.String(length=100), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("chosen_by", sa.String(length=100), nullable=False),
        sa.Column("chosen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["definition_id"], ["process_definition.id"], name=op.f(FOREIGN_KEY)),
        sa.PrimaryKeyConstraint("process_key", name=op.f("pk_process_current")),
    )


def downgrade():
    op.drop_table("process_current")
