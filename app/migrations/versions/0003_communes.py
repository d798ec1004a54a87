"""Administrative units from 1 July 2025 (issue 11): communes and wards, provinces' official codes, a petition's
commune (None for the cases before this revision).

Revision ID: 0003_communes
Revises: 0002_login_sessions
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_communes"
down_revision = "0002_login_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_catalogue",
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_unit_catalogue")),
    )
    op.add_column("province", sa.Column("official_code", sa.Integer(), nullable=True))
    op.add_column("province", sa.Column("kind", sa.String(length=30), nullable=True))
    op.create_index(op.f("ix_province_official_code"), "province", ["official_code"], unique=True)
    op.create_table(
        "commune",
        sa.Column("code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_commune_province_code_province")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_commune")),
    )
    op.create_index(op.f("ix_commune_province_code"), "commune", ["province_code"], unique=False)
    # SQLite adds the column with its reference in place: batch mode would copy petition, which others reference.
    sqlite = op.get_bind().dialect.name == "sqlite"
    reference = sa.ForeignKey("commune.code", name=op.f("fk_petition_commune_code_commune"))
    column = sa.Column("commune_code", sa.Integer(), reference, nullable=True)
    op.add_column("petition", column, inline_references=sqlite)
    op.create_index(op.f("ix_petition_commune_code"), "petition", ["commune_code"], unique=False)


def downgrade():
    # On SQLite, run with foreign keys off: removing a referencing column copies the petition table.
    op.drop_index(op.f("ix_petition_commune_code"), table_name="petition")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("commune_code")
    op.drop_index(op.f("ix_commune_province_code"), table_name="commune")
    op.drop_table("commune")
    op.drop_index(op.f("ix_province_official_code"), table_name="province")
    op.drop_column("province", "kind")
    op.drop_column("province", "official_code")
    op.drop_table("unit_catalogue")
