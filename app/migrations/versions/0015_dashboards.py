"""Petitions keep their tracking code, title and sender folded (no diacritics) for the staff's case list; a period
of a province or an agency, and the cases an agency touched, are read on indexes

Revision ID: 0015_dashboards
Revises: 0014_after_answer
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from app.petitions.search import fold

revision = "0015_dashboards"
down_revision = "0014_after_answer"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("petition") as batch_op:
        batch_op.add_column(sa.Column("staff_search", sa.Text(), server_default="", nullable=False))
    petition = sa.table(
        "petition",
        sa.column("id", sa.Integer),
        sa.column("tracking_code", sa.String),
        sa.column("title", sa.String),
        sa.column("sender_name", sa.String),
        sa.column("staff_search", sa.Text),
    )
    connection = op.get_bind()
    columns = (petition.c.id, petition.c.tracking_code, petition.c.title, petition.c.sender_name)
    for row in connection.execute(sa.select(*columns)).all():  # older cases, once; later writes fold their own
        text = fold(" ".join(filter(None, (row.tracking_code, row.title, row.sender_name))))
        connection.execute(petition.update().where(petition.c.id == row.id).values(staff_search=text))
    op.create_index("ix_petition_province_received", "petition", ["province_code", "received_at"])
    op.create_index("ix_petition_lead_received", "petition", ["lead_agency_id", "received_at"])
    op.create_index("ix_work_item_agency_instance", "work_item", ["agency_code", "instance_id"])


def downgrade():
    op.drop_index("ix_work_item_agency_instance", table_name="work_item")
    op.drop_index("ix_petition_lead_received", table_name="petition")
    op.drop_index("ix_petition_province_received", table_name="petition")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("staff_search")
