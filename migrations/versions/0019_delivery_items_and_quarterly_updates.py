"""an adopted strategy's actions as delivery items, and their quarterly updates

Revision ID: 0019
Revises: 0018
Create Date: 2027-01-13

Each action of an adopted strategy becomes an item with its priority, owner (a person, their
organisation and the account that reports on it), due date and status; officers may add
items during delivery. Owners record an update each quarter ("2027-Q1"); every update is kept.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "delivery_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=500), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("owner_email", sa.String(length=254), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("by_when", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("first_period", sa.String(length=7), nullable=False),
        sa.Column("added_during_delivery", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategy.id"],
            name=op.f("fk_delivery_item_strategy_id_strategy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_item")),
        sa.UniqueConstraint("strategy_id", "number", name=op.f("uq_delivery_item_strategy_id")),
    )
    with op.batch_alter_table("delivery_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_item_strategy_id"), ["strategy_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivery_item_owner_email"), ["owner_email"], unique=False
        )
    op.create_table(
        "delivery_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("by_when", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["delivery_item.id"],
            name=op.f("fk_delivery_update_item_id_delivery_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_update")),
    )
    with op.batch_alter_table("delivery_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_update_item_id"), ["item_id"], unique=False)


def downgrade():
    with op.batch_alter_table("delivery_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_update_item_id"))
    op.drop_table("delivery_update")
    with op.batch_alter_table("delivery_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_item_owner_email"))
        batch_op.drop_index(batch_op.f("ix_delivery_item_strategy_id"))
    op.drop_table("delivery_item")
