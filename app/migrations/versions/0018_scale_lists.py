"""Indexes for lists that do not grow with the case count (issue 18 point 2)

Revision ID: 0018_scale_lists
Revises: 0017_reopen
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_scale_lists"
down_revision = "0017_reopen"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_work_item_assignee", table_name="work_item")
    op.create_index("ix_work_item_assignee_state", "work_item", ["assignee", "state"])
    named = sa.text("candidate_users != ''")
    op.create_index("ix_work_item_named", "work_item", ["state"], sqlite_where=named, postgresql_where=named)
    op.create_index("ix_petition_published", "petition", ["published_at"])
    op.create_index("ix_petition_province_published", "petition", ["province_code", "published_at"])
    op.create_index("ix_petition_co_agency_agency", "petition_co_agency", ["agency_id"])


def downgrade():
    op.drop_index("ix_petition_co_agency_agency", table_name="petition_co_agency")
    op.drop_index("ix_petition_province_published", table_name="petition")
    op.drop_index("ix_petition_published", table_name="petition")
    op.drop_index("ix_work_item_named", table_name="work_item")
    op.drop_index("ix_work_item_assignee_state", table_name="work_item")
    op.create_index("ix_work_item_assignee", "work_item", ["assignee"])
