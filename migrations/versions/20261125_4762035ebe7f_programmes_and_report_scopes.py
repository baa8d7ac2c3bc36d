"""Programmes and report scopes: which cohorts and programmes an officer reports on.

Revision ID: 4762035ebe7f
Revises: 00b0822e7d1a
Create Date: 2026-11-25 20:35:17.202734

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4762035ebe7f'
down_revision = '00b0822e7d1a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('name', name=op.f('uq_programmes_name'))
    )
    op.create_table('programme_officers',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_officers_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_officers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'user_id', name=op.f('pk_programme_officers'))
    )
    op.create_table('cohort_officers',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_officers_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_officers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id', name=op.f('pk_cohort_officers'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cohorts_programme_id'), ['programme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cohorts_programme_id_programmes'), 'programmes', ['programme_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_enrolled_at'), ['enrolled_at'], unique=False)



def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolments_enrolled_at'))

    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cohorts_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cohorts_programme_id'))
        batch_op.drop_column('programme_id')

    op.drop_table('cohort_officers')
    op.drop_table('programme_officers')
    op.drop_table('programmes')
