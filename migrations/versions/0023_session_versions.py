"""a session version on each staff account, so signing out ends every session; sign-in
failures counted per address, per email address and per known browser instead of a lock

Revision ID: 0023
Revises: 0022
Create Date: 2027-01-14

Each session carries the account's session version from sign-in; signing out, a password
or role change, deactivation and "sign out everywhere" raise it, so a saved session cookie
replayed afterwards no longer signs anyone in.

Failed sign-ins now make the next attempt under the same key wait a little longer each time,
instead of a fixed 15-minute lock on the account that anyone could renew: the account's own
count and lock go.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_failures")),
    )


def downgrade():
    op.drop_table("sign_in_failures")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column("session_version")
