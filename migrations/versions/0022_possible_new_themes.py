"""groups of answers no theme matches, offered to officers as possible new themes

Revision ID: 0022
Revises: 0021
Create Date: 2027-01-20

The "find new themes" job stores each group it finds (its answers, typical first, and its
distinctive words); an officer names it as a new theme or dismisses it, and both decisions are
kept so a dismissed group is not offered again.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "theme_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("answer_ids", sa.JSON(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_theme_candidate_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_candidate_theme_id_theme"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_theme_candidate_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_candidate")),
    )
    with op.batch_alter_table("theme_candidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_candidate_question_id"), ["question_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("theme_candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_candidate_question_id"))
    op.drop_table("theme_candidate")
