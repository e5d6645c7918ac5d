"""a survey tool's column mapping, remembered for the next file of the same shape

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

When an officer imports a SurveyMonkey or Microsoft Forms export with a mapping (which
column goes to which question), it is kept per consultation under a digest of the file's
headings, and used for the next file with the same headings.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "remembered_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("shape", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_remembered_mapping_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["user_account.id"],
            name=op.f("fk_remembered_mapping_saved_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remembered_mapping")),
        sa.UniqueConstraint(
            "consultation_id", "shape", name=op.f("uq_remembered_mapping_consultation_id")
        ),
    )
    with op.batch_alter_table("remembered_mapping", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_remembered_mapping_consultation_id"), ["consultation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("remembered_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remembered_mapping_consultation_id"))
    op.drop_table("remembered_mapping")
