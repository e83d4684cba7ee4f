"""studio: documents, revisions, reviews, media; where a published revision came from

Revision ID: 0009_studio
Revises: 0008_assessment
Create Date: 2026-12-07 20:40:00

"""

import sqlalchemy as sa
from alembic import op

from academy.dbtypes import UTCDateTime

revision = "0009_studio"
down_revision = "0008_assessment"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "studio_documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("head_number", sa.Integer(), nullable=False),
        sa.Column("published_number", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_studio_documents_kind_key"),
    )
    op.create_index("ix_studio_documents_state_updated", "studio_documents", ["state", "updated_at"])
    op.create_table(
        "studio_revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("studio_documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("document_id", "number"),
    )
    op.create_table(
        "studio_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("studio_documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_studio_reviews_document", "studio_reviews", ["document_id", "created_at"])
    op.create_table(
        "studio_media",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("extension", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("content_revisions") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(16), nullable=False, server_default="file")
        )


def downgrade():
    with op.batch_alter_table("content_revisions") as batch:
        batch.drop_column("origin")
    op.drop_table("studio_media")
    op.drop_index("ix_studio_reviews_document", "studio_reviews")
    op.drop_table("studio_reviews")
    op.drop_table("studio_revisions")
    op.drop_index("ix_studio_documents_state_updated", "studio_documents")
    op.drop_table("studio_documents")
