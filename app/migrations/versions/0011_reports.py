"""The archive of periodic reports (province or country, period, format, the file's bytes)

Revision ID: 0011_reports
Revises: 0010_redaction
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_reports"
down_revision = "0010_redaction"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "archived_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=50), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("format", sa.String(length=4), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("generated_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archived_report")),
        sa.UniqueConstraint(
            "province_code", "period", "format", name=op.f("uq_archived_report_province_code_period_format")
        ),
    )


def downgrade():
    op.drop_table("archived_report")
