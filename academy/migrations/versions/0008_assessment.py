"""assessment: drill choice order per run, residents' feedback codes

Revision ID: 0008_assessment
Revises: 0007
Create Date: 2026-12-07 20:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_assessment"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drill_runs") as batch:
        batch.add_column(sa.Column("choice_seed", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("drill_runs") as batch:
        batch.drop_column("choice_seed")
