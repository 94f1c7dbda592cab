"""The press gallery: images, journalists' access, links and download log

The image kind (its own table, joined to resources), the journalist role's
end date on accounts, journalists' access requests, the time-limited links
staff send, and the log of originals that left (issue 19).

Revision ID: d4f6a8c0e2b5
Revises: c3e5a7b9d1f4
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

from bassin_cms.db import UTCDateTime, delete_nodes_of_types

revision = "d4f6a8c0e2b5"
down_revision = "c3e5a7b9d1f4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_ends", sa.Date(), nullable=True))
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("credit", sa.String(length=500), nullable=False),
        sa.Column("alt_text", sa.String(length=500), nullable=False),
        sa.Column("usage_terms", sa.Text(), nullable=False),
        sa.Column("usage_ends", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["resources.id"], name=op.f("fk_images_id_resources"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_images")),
    )
    op.create_index(op.f("ix_images_usage_ends"), "images", ["usage_ends"], unique=False)
    op.create_table(
        "press_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("credentials", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("decided", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_press_access_requests_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_access_requests")),
    )
    op.create_index(op.f("ix_press_access_requests_email"), "press_access_requests", ["email"], unique=False)
    op.create_index(op.f("ix_press_access_requests_status"), "press_access_requests", ["status"], unique=False)
    op.create_table(
        "press_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("image_ids", sa.JSON(), nullable=False),
        sa.Column("expires", UTCDateTime(), nullable=False),
        sa.Column("revoked", UTCDateTime(), nullable=True),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("last_used", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_links")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_press_links_secret_hash")),
    )
    op.create_table(
        "press_downloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("who", sa.String(length=400), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("image_title", sa.String(length=500), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("archive", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"], ["nodes.id"], name=op.f("fk_press_downloads_image_id_nodes"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["press_links.id"], name=op.f("fk_press_downloads_link_id_press_links"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_press_downloads_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_press_downloads")),
    )
    for column in ("at", "image_id", "link_id", "user_id"):
        op.create_index(op.f(f"ix_press_downloads_{column}"), "press_downloads", [column], unique=False)


def downgrade():
    for column in ("at", "image_id", "link_id", "user_id"):
        op.drop_index(op.f(f"ix_press_downloads_{column}"), table_name="press_downloads")
    op.drop_table("press_downloads")
    op.drop_table("press_links")
    op.drop_index(op.f("ix_press_access_requests_status"), table_name="press_access_requests")
    op.drop_index(op.f("ix_press_access_requests_email"), table_name="press_access_requests")
    op.drop_table("press_access_requests")
    delete_nodes_of_types(op.get_bind(), ["image"])
    op.drop_index(op.f("ix_images_usage_ends"), table_name="images")
    op.drop_table("images")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("role_ends")
