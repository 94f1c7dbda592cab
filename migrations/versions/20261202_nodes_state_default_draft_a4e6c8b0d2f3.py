"""nodes.state defaults to draft in the database too

The ORM created nodes as drafts, while the column's server default said
'published' (kept from the first workflow migration, where existing rows
had to stay public). A row inserted by SQL without a state was public.

Revision ID: a4e6c8b0d2f3
Revises: 9d3e5f7a2b41
Create Date: 2026-12-02 00:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4e6c8b0d2f3"
down_revision = "9d3e5f7a2b41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(20), server_default="draft", existing_nullable=False)


def downgrade():
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(20), server_default="published", existing_nullable=False)
