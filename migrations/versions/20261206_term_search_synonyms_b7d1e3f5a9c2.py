"""Search synonyms apart from import aliases

A term's ``aliases`` served two jobs: mapping the legacy catalogue's free
text onto the term when importing, and widening searches. The import
aliases of kinds and themes ("porter a connaissance" under the kind
*Rapport* and the theme *Planification*) then made unrelated reports match a
query. ``synonyms`` holds the names searched; ``aliases`` keeps the import
mapping only. Existing search names move over: the other names of the
intercommunalities (former names, other spellings) and the entries of the
"synonym" vocabulary, which only ever served search.

Revision ID: b7d1e3f5a9c2
Revises: a4e6c8b0d2f3
Create Date: 2026-12-06 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b7d1e3f5a9c2"
down_revision = "a4e6c8b0d2f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("synonyms", sa.Text(), nullable=False, server_default=""))
    op.execute(
        "UPDATE terms SET synonyms = aliases WHERE vocabulary = 'territory' AND parent_id IN "
        "(SELECT id FROM terms WHERE vocabulary = 'territory' AND code IN ('nord', 'pas-de-calais'))"
    )
    op.execute("UPDATE terms SET synonyms = aliases, aliases = '' WHERE vocabulary = 'synonym'")


def downgrade():
    op.execute("UPDATE terms SET aliases = synonyms WHERE vocabulary = 'synonym'")
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.drop_column("synonyms")
