"""Citizen accounts: sign-up awaiting its e-mail verification, single-use mailed tokens (kept hashed), requests
kept for throttling, and when each citizen last saw each of his cases

Revision ID: 0006_citizen_accounts
Revises: 0005_message_delivery
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_citizen_accounts"
down_revision = "0005_message_delivery"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: rebuilding app_user on SQLite would break the keys that point at it.
    op.add_column(
        "app_user", sa.Column("awaiting_verification", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_account_token_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_token_token_hash")),
    )
    op.create_index(op.f("ix_account_token_user_id"), "account_token", ["user_id"], unique=False)
    op.create_table(
        "account_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_request")),
    )
    op.create_index(op.f("ix_account_request_email"), "account_request", ["email"], unique=False)
    op.create_index(op.f("ix_account_request_remote_addr"), "account_request", ["remote_addr"], unique=False)
    op.create_index(op.f("ix_account_request_at"), "account_request", ["at"], unique=False)
    op.create_table(
        "case_seen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_case_seen_user_id_app_user")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_case_seen_petition_id_petition")),
        sa.PrimaryKeyConstraint("user_id", "petition_id", name=op.f("pk_case_seen")),
    )


def downgrade():
    op.drop_table("case_seen")
    op.drop_index(op.f("ix_account_request_at"), table_name="account_request")
    op.drop_index(op.f("ix_account_request_remote_addr"), table_name="account_request")
    op.drop_index(op.f("ix_account_request_email"), table_name="account_request")
    op.drop_table("account_request")
    op.drop_index(op.f("ix_account_token_user_id"), table_name="account_token")
    op.drop_table("account_token")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_column("awaiting_verification")
