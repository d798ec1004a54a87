"""Notice timers fired without loading their instance (issue 18 point 4)

process_instance.fired_notices: the task ids of the notice timers (app/engine/notices.py) the scheduler fired by
calling their functions itself; the next reader or writer runs their paths in the workflow, then clears it.

Revision ID: 0028_fired_notices
Revises: 0027_search_vector_stripped
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_fired_notices"
down_revision = "0027_search_vector_stripped"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("process_instance", sa.Column("fired_notices", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("process_instance") as batch:
        batch.drop_column("fired_notices")
