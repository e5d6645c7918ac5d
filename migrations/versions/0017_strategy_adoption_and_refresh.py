"""a strategy's status, its adoption (date, body, minute, version) and refreshes

Revision ID: 0017
Revises: 0016
Create Date: 2027-01-11

A strategy is a draft, out for comment, adopted or refreshed. Adopting it records the
decision and the draft version adopted, and freezes it; a refresh is a new strategy started
from the adopted one, for a year ("2019 refresh").
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("strategy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="draft", nullable=False)
        )
        batch_op.add_column(sa.Column("adopted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("adopted_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("adoption_minute", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("adopted_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("refreshed_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("refresh_year", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_strategy_refreshed_from_id_strategy"),
            "strategy",
            ["refreshed_from_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("strategy", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_strategy_refreshed_from_id_strategy"), type_="foreignkey"
        )
        for column in (
            "refresh_year",
            "refreshed_from_id",
            "adopted_version",
            "adoption_minute",
            "adopted_by",
            "adopted_on",
            "status",
        ):
            batch_op.drop_column(column)
