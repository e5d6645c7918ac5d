"""consultations and their questions in Welsh as well as English

Revision ID: 0020
Revises: 0019
Create Date: 2027-01-20

Each consultation may have a Welsh title, summary and notes, and each of its questions Welsh
text, hint, context and options and statements (JSON lists in the same order as the English
ones, so an answer given in Welsh is stored as the same option index). Empty for the
consultations that exist: they stay English-only.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

CONSULTATION_COLUMNS = [
    ("title_cy", sa.String(length=200)),
    ("summary_cy", sa.Text()),
    ("how_used_cy", sa.Text()),
    ("privacy_cy", sa.Text()),
]
QUESTION_TEXT_COLUMNS = [
    ("text_cy", sa.String(length=500)),
    ("hint_cy", sa.String(length=500)),
    ("context_cy", sa.Text()),
]
QUESTION_LIST_COLUMNS = ["options_cy", "rows_cy"]


def upgrade():
    with op.batch_alter_table("consultation") as batch:
        for name, kind in CONSULTATION_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))
    with op.batch_alter_table("question") as batch:
        for name, kind in QUESTION_TEXT_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))
        for name in QUESTION_LIST_COLUMNS:
            batch.add_column(sa.Column(name, sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("question") as batch:
        for name in reversed(QUESTION_LIST_COLUMNS):
            batch.drop_column(name)
        for name, _ in reversed(QUESTION_TEXT_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("consultation") as batch:
        for name, _ in reversed(CONSULTATION_COLUMNS):
            batch.drop_column(name)
