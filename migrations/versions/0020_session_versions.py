"""a session version on each staff account, so signing out ends every session

Revision ID: 0020
Revises: 0018
Create Date: 2027-01-14

Each session carries the account's session version from sign-in; signing out, a password
or role change, deactivation and "sign out everywhere" raise it, so a saved session cookie
replayed afterwards no longer signs anyone in.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_version")
