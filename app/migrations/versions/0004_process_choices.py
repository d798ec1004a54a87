"""Which process new petitions of a province and channel start

Revision ID: 0004_process_choices
Revises: 0003_communes
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_process_choices"
down_revision = "0003_communes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "process_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=50), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("process_key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("chosen_by", sa.String(length=100), nullable=False),
        sa.Column("chosen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["province_code"], ["province.code"], name=op.f("fk_process_choice_province_code_province")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_choice")),
        sa.UniqueConstraint("province_code", "channel", name=op.f("uq_process_choice_province_code_channel")),
    )


def downgrade():
    op.drop_table("process_choice")
