"""change outbox, site version

Revision ID: 5b1e0c7d9a21
Revises: e016f5b631b3
Create Date: 2026-12-01 20:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e0c7d9a21"
down_revision = "e016f5b631b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "change_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_outbox")),
    )
    with op.batch_alter_table("change_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_outbox_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_outbox_done_at"), ["done_at"], unique=False)

    site_version = op.create_table(
        "site_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_version")),
    )
    op.bulk_insert(site_version, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("site_version")
    with op.batch_alter_table("change_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_outbox_done_at"))
        batch_op.drop_index(batch_op.f("ix_change_outbox_created_at"))
    op.drop_table("change_outbox")
