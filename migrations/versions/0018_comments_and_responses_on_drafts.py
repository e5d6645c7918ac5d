"""partners' and committees' comments on a draft, and the partnership's responses

Revision ID: 0018
Revises: 0017
Create Date: 2027-01-12

Officers record comments from organisations and committees on a section of a draft out for
comment (a scrutiny committee's recommendations marked as such); every comment theme and
every recorded comment gets a response, published as "You said, we did".
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("strategy_consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("you_said_published", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "strategy_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=250), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("made_by", sa.String(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["strategy_consultation.id"],
            name=op.f("fk_strategy_comment_round_id_strategy_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_comment")),
    )
    with op.batch_alter_table("strategy_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_strategy_comment_round_id"), ["round_id"], unique=False
        )
    op.create_table(
        "strategy_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("passed_to", sa.String(length=200), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["strategy_consultation.id"],
            name=op.f("fk_strategy_response_round_id_strategy_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategy_response")),
        sa.UniqueConstraint("round_id", "subject", name=op.f("uq_strategy_response_round_id")),
    )
    with op.batch_alter_table("strategy_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_strategy_response_round_id"), ["round_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("strategy_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategy_response_round_id"))
    op.drop_table("strategy_response")
    with op.batch_alter_table("strategy_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategy_comment_round_id"))
    op.drop_table("strategy_comment")
    with op.batch_alter_table("strategy_consultation", schema=None) as batch_op:
        batch_op.drop_column("you_said_published")
