"""index on the start of free-text answers, for the same-text check on submission

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

The check for the same long free text as another response minutes earlier read every answer
of every response of the last ten minutes, so it cost more the busier a consultation was. This
partial expression index (question, first 64 characters; only rows holding text) makes it one
indexed look-up. The whole text is not indexed: PostgreSQL caps an index entry near 2.7 kB.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_answer_question_text_start",
        "answer",
        ["question_id", sa.text("substr(text, 1, 64)")],
        unique=False,
        postgresql_where=sa.text("text IS NOT NULL"),
        sqlite_where=sa.text("text IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_answer_question_text_start", table_name="answer")
