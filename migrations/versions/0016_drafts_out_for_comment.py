"""a strategy's draft put out for comment: its consultation, questions' context, kept PDFs

Revision ID: 0016
Revises: 0015
Create Date: 2027-01-10

A draft version of a strategy can be put out for comment as an ordinary consultation whose
questions each show residents the part of the draft they ask about (`question.context`), and
whose start page offers the draft to read (`consultation.documents`). A draft built with a
PDF keeps it (`strategy_draft.pdf`), so the PDF can be published beside the web page.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("context", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents", sa.JSON(), nullable=True))
    with op.batch_alter_table("strategy_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
    op.create_table(
        "strategy_consultation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategy_id", sa.Integer(), nullable=False),
        sa.Column("draft_version", sa.Integer(), nullable=False),
        sa.Column("consultation_slug", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["strategy.id"],
            name=op.f("fk_strategy_consultation_strategy_id_strategy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_consultation")),
        sa.UniqueConstraint(
            "strategy_id", "draft_version", name=op.f("uq_strategy_consultation_strategy_id")
        ),
        sa.UniqueConstraint(
            "consultation_slug", name=op.f("uq_strategy_consultation_consultation_slug")
        ),
    )
    with op.batch_alter_table("strategy_consultation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_strategy_consultation_strategy_id"), ["strategy_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("strategy_consultation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategy_consultation_strategy_id"))
    op.drop_table("strategy_consultation")
    with op.batch_alter_table("strategy_draft", schema=None) as batch_op:
        batch_op.drop_column("pdf")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("documents")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("context")
