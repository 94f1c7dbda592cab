"""Blobs processed by the worker: extraction error and web preview

File work left the upload request: a blob is stored "pending" and the worker
extracts its text and images. ``extraction_error`` says why a file could not
be read (shown to editors); ``has_preview`` says whether the worker made the
larger first-page image a poster shows (it was drawn on a visitor's request).
The PDFs already read are queued again, so that the worker draws their
preview (their page texts stay until it replaces them).

Revision ID: c3e5a7b9d1f4
Revises: b7d1e3f5a9c2
Create Date: 2026-12-06 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3e5a7b9d1f4"
down_revision = "b7d1e3f5a9c2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("blobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extraction_error", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("has_preview", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE blobs SET extraction = 'pending' WHERE mime_type = 'application/pdf' AND extraction = 'ok'")
    op.execute(
        "INSERT INTO change_outbox (topic, node_id, created_at, attempts, error) "
        "SELECT DISTINCT 'files', resource_files.node_id, CURRENT_TIMESTAMP, 0, '' FROM resource_files "
        "JOIN blobs ON blobs.sha256 = resource_files.sha256 WHERE blobs.extraction = 'pending'"
    )


def downgrade():
    op.execute("UPDATE blobs SET extraction = 'ok' WHERE extraction = 'pending'")
    with op.batch_alter_table("blobs", schema=None) as batch_op:
        batch_op.drop_column("has_preview")
        batch_op.drop_column("extraction_error")
