"""assessment: drill choice order per run, residents' feedback codes, module handouts

Revision ID: 0008_assessment
Revises: 0007
Create Date: 2026-12-07 20:20:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# revision identifiers, used by Alembic.
revision = "0008_assessment"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drill_runs") as batch:
        batch.add_column(sa.Column("choice_seed", sa.Integer(), nullable=True))
    op.create_table(
        "feedback_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_feedback_points_department_id_departments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["users.id"],
            name=op.f("fk_feedback_points_employee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_feedback_points_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_points")),
        sa.UniqueConstraint("code", name=op.f("uq_feedback_points_code")),
    )
    with op.batch_alter_table("feedback_points") as batch:
        batch.create_index("ix_feedback_points_department", ["department_id", "active"])
    with op.batch_alter_table("modules") as batch:
        batch.add_column(sa.Column("handout", JSON_TYPE, nullable=True))
    with op.batch_alter_table("feedback_cards") as batch:
        batch.add_column(sa.Column("point_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_feedback_cards_point_id_feedback_points"),
            "feedback_points",
            ["point_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("feedback_cards") as batch:
        batch.drop_constraint(op.f("fk_feedback_cards_point_id_feedback_points"), type_="foreignkey")
        batch.drop_column("point_id")
    op.drop_table("feedback_points")
    with op.batch_alter_table("modules") as batch:
        batch.drop_column("handout")
    with op.batch_alter_table("drill_runs") as batch:
        batch.drop_column("choice_seed")
