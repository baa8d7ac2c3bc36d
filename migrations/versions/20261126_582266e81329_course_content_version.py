"""Course content version: the key under which servers cache a published course.

Revision ID: 582266e81329
Revises: 4762035ebe7f
Create Date: 2026-11-26 02:42:14.265488

"""

import sqlalchemy as sa
from alembic import op

revision = "582266e81329"
down_revision = "4762035ebe7f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("content_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("content_version")
