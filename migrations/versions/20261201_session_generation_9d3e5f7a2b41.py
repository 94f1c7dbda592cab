"""users.session_generation

Revision ID: 9d3e5f7a2b41
Revises: 8c2d4e6f1a30
Create Date: 2026-12-01 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "9d3e5f7a2b41"
down_revision = "8c2d4e6f1a30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
