"""anonymised quotes officers choose per theme, for the results pages

Revision ID: 0029
Revises: 0028
Create Date: 2027-01-25

An officer chooses a few answers per theme to quote, each kept with its own text (shortened or
with names replaced; the answer is never changed) and its answer's id; a quote goes with its
theme or its answer.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "theme_quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_quote_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_theme_quote_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"],
            ["user_account.id"],
            name=op.f("fk_theme_quote_chosen_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_quote")),
        sa.UniqueConstraint("theme_id", "answer_id", name="uq_theme_quote_answer"),
    )
    with op.batch_alter_table("theme_quote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_quote_theme_id"), ["theme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_theme_quote_answer_id"), ["answer_id"], unique=False)


def downgrade():
    with op.batch_alter_table("theme_quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_quote_answer_id"))
        batch_op.drop_index(batch_op.f("ix_theme_quote_theme_id"))
    op.drop_table("theme_quote")
