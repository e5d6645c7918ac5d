"""an officer's last change to a question's theme codes, kept so that it can be undone

Revision ID: 0028
Revises: 0027
Create Date: 2027-01-22

One row per officer and question: the answers changed, each with its codes before and the
themes it was left with. A new change replaces the row; undoing it removes it.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coding_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_coding_change_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_coding_change_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_change")),
        sa.UniqueConstraint("user_id", "question_id", name=op.f("uq_coding_change_user_id")),
        sqlite_autoincrement=True,  # a replaced change's id is never given to the next one
    )
    with op.batch_alter_table("coding_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coding_change_question_id"), ["question_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("coding_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coding_change_question_id"))
    op.drop_table("coding_change")
