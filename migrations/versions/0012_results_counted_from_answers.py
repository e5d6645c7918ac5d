"""results counted from the answers: kept tallies dropped, a results version for the cache

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

Results are counted from the answers with GROUP BY (survey.counting) and cached under each
consultation's results version (survey.result_cache), so the kept tallies, their lock rows
and each response's tally state go. Two indexes let PostgreSQL count from indexes rather
than the table: (question, row, option), small as its keys repeat, and (question, response,
id) for who answered each question and the free-text answers' codes.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

UNTALLIED = sa.text("tally_state <> 2")


def upgrade():
    op.create_table(
        "results_version",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_results_version_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_results_version")),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_response_consultation_untallied",
            postgresql_where=UNTALLIED,
            sqlite_where=UNTALLIED,
        )
        batch_op.drop_column("tally_state")
    op.drop_table("tally_lock")
    op.drop_table("tally")
    op.create_index(
        "ix_answer_question_row_option", "answer", ["question_id", "row", "option"], unique=False
    )
    op.create_index(
        "ix_answer_question_response",
        "answer",
        ["question_id", "response_id", "id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_answer_question_response", table_name="answer")
    op.drop_index("ix_answer_question_row_option", table_name="answer")
    # Every response comes back uncounted: the kept tallies count them all at the next read.
    op.create_table(
        "tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("by_question_id", sa.Integer(), nullable=False),
        sa.Column("by_option", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("option", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_tally_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally")),
        sa.UniqueConstraint(
            "consultation_id",
            "by_question_id",
            "by_option",
            "kind",
            "question_id",
            "row",
            "option",
            "theme_id",
            "day",
            "channel",
            name="uq_tally_key",
        ),
    )
    op.create_table(
        "tally_lock",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("turns", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_tally_lock_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", name=op.f("pk_tally_lock")),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tally_state", sa.SmallInteger(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_response_consultation_untallied",
            ["consultation_id"],
            unique=False,
            postgresql_where=UNTALLIED,
            sqlite_where=UNTALLIED,
        )
    op.drop_table("results_version")
