"""actual figures entered for an adopted strategy's targets, period by period

Revision ID: 0021
Revises: 0020
Create Date: 2027-01-20

A target linked to an audit category takes its actual figures from imported audits; any
other target's are entered by an officer, one figure a period.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "target_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("target_number", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategy.id"],
            name=op.f("fk_target_figure_strategy_id_strategy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_figure")),
        sa.UniqueConstraint(
            "strategy_id", "target_number", "period", name=op.f("uq_target_figure_strategy_id")
        ),
    )
    with op.batch_alter_table("target_figure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_target_figure_strategy_id"), ["strategy_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("target_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_figure_strategy_id"))
    op.drop_table("target_figure")
