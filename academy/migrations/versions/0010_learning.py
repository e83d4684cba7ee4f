"""learning: quiz answers saved as they are given (the open attempt's draft)

Revision ID: 0010_learning
Revises: 0009_studio
Create Date: 2026-12-08 01:20:00

"""

import sqlalchemy as sa
from alembic import op

from academy.dbtypes import JSONType, UTCDateTime

revision = "0010_learning"
down_revision = "0009_studio"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.add_column(sa.Column("draft", JSONType, nullable=True))
        batch.add_column(sa.Column("draft_saved_at", UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("quiz_attempts") as batch:
        batch.drop_column("draft_saved_at")
        batch.drop_column("draft")
