"""an action's status is read from its updates, not kept beside them

Revision ID: 0025
Revises: 0024
Create Date: 2027-01-28

`delivery_item.status` repeated its newest recorded update's status, which could disagree
with the reports (an update recorded late for an earlier quarter). Every page and report now
asks `assembly.data.delivery.standing`, so the copy goes.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("delivery_item", schema=None) as batch_op:
        batch_op.drop_column("status")


def downgrade():
    with op.batch_alter_table("delivery_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="not started")
        )
    op.execute(
        "UPDATE delivery_item SET status = (SELECT u.status FROM delivery_update u "
        "WHERE u.item_id = delivery_item.id ORDER BY u.id DESC LIMIT 1) "
        "WHERE EXISTS (SELECT 1 FROM delivery_update u WHERE u.item_id = delivery_item.id)"
    )
