"""search: the index of lessons and drills (FTS5 on SQLite, tsvector + GIN on PostgreSQL)

Revision ID: 0011_search
Revises: 0009_studio
Create Date: 2026-12-08 01:45:00

The index is filled by the next `academy content sync` (or studio publish).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from academy.dbtypes import UTCDateTime

revision = "0011_search"
down_revision = "0010_learning"
branch_labels = None
depends_on = None

CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, objectives, body, grams, tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("objectives_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.Column("grams", sa.Text(), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR() if postgres else sa.Text(), nullable=True),
        sa.Column("indexed_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_search_entries_kind_key"),
    )
    op.create_index(
        "ix_search_entries_tsv", "search_entries", ["tsv"], postgresql_using="gin"
    )
    if not postgres:
        op.execute(CREATE_FTS)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index("ix_search_entries_tsv", table_name="search_entries")
    op.drop_table("search_entries")
