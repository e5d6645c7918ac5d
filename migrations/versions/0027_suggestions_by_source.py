"""theme suggestions say where they came from: learnt from officers' codes, or a language model

Revision ID: 0027
Revises: 0026
Create Date: 2027-01-22

`theme_suggestion.source` is "learnt" (every existing row) or "llm" (the council's language
model); it joins the primary key, so both sources may suggest the same theme for an answer and
each run replaces only its own. `confidence` may be null: a language model's is not calibrated.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


# SQLite rebuilds the table to change its primary key; reflecting it alone (not the tables its
# foreign keys name) avoids reading `answer`'s expression index, which SQLite cannot reflect.
_ONLY_THIS_TABLE = {"reflect_kwargs": {"resolve_fks": False}}


def upgrade():
    with op.batch_alter_table("theme_suggestion", schema=None, **_ONLY_THIS_TABLE) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), server_default="learnt", nullable=False)
        )
        batch_op.alter_column("confidence", existing_type=sa.Float(), nullable=True)
        batch_op.drop_constraint("pk_theme_suggestion", type_="primary")
        batch_op.create_primary_key(
            "pk_theme_suggestion", ["answer_id", "theme_id", "source"]
        )


def downgrade():
    op.execute("DELETE FROM theme_suggestion WHERE source != 'learnt' OR confidence IS NULL")
    with op.batch_alter_table("theme_suggestion", schema=None, **_ONLY_THIS_TABLE) as batch_op:
        batch_op.drop_constraint("pk_theme_suggestion", type_="primary")
        batch_op.create_primary_key("pk_theme_suggestion", ["answer_id", "theme_id"])
        batch_op.alter_column("confidence", existing_type=sa.Float(), nullable=False)
        batch_op.drop_column("source")
