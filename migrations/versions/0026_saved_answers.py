"""saved answers: a resident's draft saved to come back to with a code

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07

`draft.code_digest` is the SHA-256 of the code the resident was given (unique; null for a
draft not saved), `draft.saved_on` the question whose page they saved on (null: the check
page).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("saved_on", sa.String(length=40), nullable=True))
        batch_op.create_unique_constraint("uq_draft_code_digest", ["code_digest"])


def downgrade():
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint("uq_draft_code_digest", type_="unique")
        batch_op.drop_column("saved_on")
        batch_op.drop_column("code_digest")
