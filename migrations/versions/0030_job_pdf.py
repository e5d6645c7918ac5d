"""a job's output as a PDF too: a report's Word file and its PDF

Revision ID: 0030
Revises: 0029
Create Date: 2027-01-28

A delivery report is kept only as its job's output; its PDF is kept beside it, so the job page
and the actions page offer both files.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("pdf_name", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("job") as batch:
        batch.drop_column("pdf_name")
        batch.drop_column("pdf")
