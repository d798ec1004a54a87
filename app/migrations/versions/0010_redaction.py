"""Redaction before publication: the public title a case is published under, and which of its files are public.
Cases published before keep what the public saw: their own title and their answer documents; their search text is
made again from the public texts only (older releases put the content in it).

Revision ID: 0010_redaction
Revises: 0009_coordination
Create Date: 2026-11-29
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010_redaction"
down_revision = "0009_coordination"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("petition") as batch_op:
        batch_op.add_column(sa.Column("public_title", sa.String(length=300), nullable=True))
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE petition SET public_title = title WHERE published_at IS NOT NULL")
    op.execute(
        "UPDATE attachment SET published = public WHERE petition_id IN "
        "(SELECT id FROM petition WHERE published_at IS NOT NULL)"
    )
    connection = op.get_bind()
    published = connection.execute(
        sa.text("SELECT id, public_title, public_summary, answer FROM petition WHERE published_at IS NOT NULL")
    ).all()
    for row in published:
        searched = fold(" ".join(filter(None, (row.public_title, row.public_summary, row.answer))))
        connection.execute(sa.text("UPDATE petition SET search_text = :t WHERE id = :i"), {"t": searched, "i": row.id})


def fold(text: str) -> str:
    """The search's folding as of this revision (app/petitions/search.py), copied: a revision never changes."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


def downgrade():
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_column("published")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("public_title")
