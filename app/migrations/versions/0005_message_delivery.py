"""Messages delivered: state, tries and claims on the outbox; staff digests (without a petition, once a day per
province); the sender's language, his secret link and the timeline of his case

Revision ID: 0005_message_delivery
Revises: 0004_process_choices
Create Date: 2026-11-29
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005_message_delivery"
down_revision = "0004_process_choices"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.alter_column("petition_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("subject", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=10), server_default="queued", nullable=False))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_notification_state_next_attempt_at", ["state", "next_attempt_at"], unique=False)
    op.create_table(
        "digest_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("province_code", sa.String(length=50), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("written_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["province_code"], ["province.code"], name=op.f("fk_digest_day_province_code_province")
        ),
        sa.PrimaryKeyConstraint("day", "province_code", name=op.f("pk_digest_day")),
    )
    op.add_column("petition", sa.Column("sender_language", sa.String(length=5), server_default="vi", nullable=False))
    op.add_column("petition", sa.Column("sender_key", sa.String(length=64), nullable=True))
    petitions = sa.table("petition", sa.column("id", sa.Integer()), sa.column("sender_key", sa.String()))
    for (petition_id,) in op.get_bind().execute(sa.select(petitions.c.id)).all():  # every sender gets his link
        op.execute(petitions.update().where(petitions.c.id == petition_id).values(sender_key=secrets.token_urlsafe(24)))
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_case_event_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index(op.f("ix_case_event_petition_id"), "case_event", ["petition_id"], unique=False)
    # Messages written before delivery existed are not sent months late: kept, marked, shown to staff.
    op.execute(
        "UPDATE notification SET state = 'dead', last_error = 'written before delivery was installed' "
        "WHERE sent_at IS NULL"
    )
    op.execute("UPDATE notification SET state = 'sent' WHERE sent_at IS NOT NULL")


def downgrade():
    op.drop_index(op.f("ix_case_event_petition_id"), table_name="case_event")
    op.drop_table("case_event")
    op.drop_table("digest_day")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("sender_language")
        batch_op.drop_column("sender_key")
    op.execute("DELETE FROM notification WHERE petition_id IS NULL")  # digests cannot exist in the older schema
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_index("ix_notification_state_next_attempt_at")
        for column in ("claimed_at", "claimed_by", "last_error", "next_attempt_at", "attempts", "state", "subject"):
            batch_op.drop_column(column)
        batch_op.alter_column("petition_id", existing_type=sa.Integer(), nullable=False)
