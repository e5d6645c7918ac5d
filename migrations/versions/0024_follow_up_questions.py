"""follow-up questions: a question may be asked only when an earlier answer is one of chosen
options

Revision ID: 0024
Revises: 0023
Create Date: 2027-01-21

`question.show_if` holds the condition as {"question": earlier key, "answers": [options]};
null (every existing question) means the question is asked of everyone.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("show_if", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("show_if")
