"""Course instructors: who may edit a course and its question bank.

Revision ID: dfad687bd567
Revises: 4028150ba5b0
Create Date: 2026-11-25 18:15:55.419312

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dfad687bd567'
down_revision = '4028150ba5b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_instructors',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_instructors_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_instructors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_instructors'))
    )


def downgrade():
    op.drop_table('course_instructors')
