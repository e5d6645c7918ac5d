"""audit figures keep their measure; an audit its partnership's area and comparators' figures

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

ONS tables give one category as a count and as a rate per 1,000 population, and figures for
the partnership beside its force area and England and Wales; so a figure's measure and
whether it is a comparator join its unique key. Existing figures whose unit is a rate
('per 1,000', not 'per cent') or a percentage are marked so; the rest are counts. A value
may be empty: ONS marks figures not available (`[c]`, `..`), and they are kept as such.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_KEY = ["audit_id", "category", "area", "period"]
NEW_KEY = [*OLD_KEY, "measure", "comparator"]


def upgrade():
    with op.batch_alter_table("crime_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("area_code", sa.String(length=20), nullable=True))
    with op.batch_alter_table("audit_figure", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("measure", sa.String(length=20), nullable=False, server_default="count")
        )
        batch_op.add_column(
            sa.Column("comparator", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    figure = sa.table("audit_figure", sa.column("unit", sa.String), sa.column("measure", sa.String))
    unit = sa.func.lower(figure.c.unit)
    op.execute(
        figure.update().where(unit.like("%per %"), ~unit.like("%per cent%")).values(measure="rate")
    )
    op.execute(
        figure.update()
        .where(sa.or_(unit == "%", unit.like("per cent%"), unit.like("percent%")))
        .values(measure="percentage")
    )
    with op.batch_alter_table("audit_figure", schema=None) as batch_op:
        batch_op.alter_column("measure", server_default=None)
        batch_op.alter_column("comparator", server_default=None)
        batch_op.alter_column("value", existing_type=sa.Numeric(24, 6), nullable=True)
        batch_op.drop_constraint("uq_audit_figure_audit_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_audit_figure_audit_id"), NEW_KEY)


def downgrade():
    op.execute(sa.text("DELETE FROM audit_figure WHERE comparator = :yes").bindparams(yes=True))
    op.execute(sa.text("DELETE FROM audit_figure WHERE value IS NULL"))
    with op.batch_alter_table("audit_figure", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_figure_audit_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_audit_figure_audit_id"), OLD_KEY)
        batch_op.alter_column("value", existing_type=sa.Numeric(24, 6), nullable=False)
        batch_op.drop_column("comparator")
        batch_op.drop_column("measure")
    with op.batch_alter_table("crime_audit", schema=None) as batch_op:
        batch_op.drop_column("area_code")
        batch_op.drop_column("area_name")
