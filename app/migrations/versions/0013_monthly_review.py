"""The leaders' monthly review: rule-breaking flags of the intake office, one review per unit and month, the cases
each review lists with the measure taken

Revision ID: 0013_monthly_review
Revises: 0012_duplicates
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_monthly_review"
down_revision = "0012_duplicates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rule_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("flagged_by", sa.String(length=100), nullable=False),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_rule_flag_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_flag")),
        sa.UniqueConstraint("petition_id", name=op.f("uq_rule_flag_petition_id")),
    )
    op.create_index(op.f("ix_rule_flag_flagged_at"), "rule_flag", ["flagged_at"], unique=False)
    op.create_table(
        "monthly_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_monthly_review_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_monthly_review_instance_id_process_instance")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_review")),
        sa.UniqueConstraint("agency_id", "month", name=op.f("uq_monthly_review_agency_id_month")),
    )
    op.create_index(op.f("ix_monthly_review_instance_id"), "monthly_review", ["instance_id"], unique=False)
    op.create_table(
        "review_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.String(length=60), nullable=False),
        sa.Column("measure", sa.String(length=20), nullable=True),
        sa.Column("measure_text", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_review_case_petition_id_petition")),
        sa.ForeignKeyConstraint(
            ["review_id"], ["monthly_review.id"], name=op.f("fk_review_case_review_id_monthly_review")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_case")),
        sa.UniqueConstraint("review_id", "petition_id", name=op.f("uq_review_case_review_id_petition_id")),
    )
    op.create_index(op.f("ix_review_case_review_id"), "review_case", ["review_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_review_case_review_id"), table_name="review_case")
    op.drop_table("review_case")
    op.drop_index(op.f("ix_monthly_review_instance_id"), table_name="monthly_review")
    op.drop_table("monthly_review")
    op.drop_index(op.f("ix_rule_flag_flagged_at"), table_name="rule_flag")
    op.drop_table("rule_flag")
