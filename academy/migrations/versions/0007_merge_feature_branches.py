"""merge the feature branches (quizzes, drills, assignments, certificates, practice)

The features were built in parallel, each migration on top of 0001. This
revision joins them so the history has one head again; later migrations go
on top of it.

Revision ID: 0007
Revises: 0002, 0003, 0004, 0005, 0006
Create Date: 2026-11-26 16:20:00

"""

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = ("0002", "0003", "0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
