"""Course drafts, edit revisions, translation snapshots and course media.

A slug now names a published course and at most one draft; every object edited in the
browser carries a revision; translations remember the source text they were made from.

Revision ID: 00b0822e7d1a
Revises: 3c0840df2027
Create Date: 2026-11-25 19:24:51.904950

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '00b0822e7d1a'
down_revision = '3c0840df2027'
branch_labels = None
depends_on = None

TRANSLATIONS = ('course_translations', 'module_translations', 'lesson_translations',
                'question_translations')
OWNERS = ('modules', 'lessons', 'questions', 'quizzes')


def _revision_column():
    return sa.Column('revision', sa.Integer(), nullable=False, server_default='1')


def upgrade():
    op.create_table('course_media',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_media_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'name', name=op.f('pk_course_media'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_draft', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(_revision_column())
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_courses_slug'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_courses_slug_is_draft'), ['slug', 'is_draft'])
    for table in TRANSLATIONS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_revision_column())
            batch_op.add_column(sa.Column('source_snapshot', sa.JSON(), nullable=True))
    for table in OWNERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_revision_column())


def downgrade():
    for table in OWNERS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('revision')
    for table in TRANSLATIONS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_snapshot')
            batch_op.drop_column('revision')
    # Drafts cannot survive the old one-row-per-slug rule.
    op.execute("DELETE FROM courses WHERE is_draft")
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_courses_slug_is_draft'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_courses_slug'), ['slug'])
        batch_op.drop_column('published_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('revision')
        batch_op.drop_column('is_draft')
    op.drop_table('course_media')
