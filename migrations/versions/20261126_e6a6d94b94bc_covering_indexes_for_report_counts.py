"""Covering indexes for report counts: enrolments by course and by cohort, with the
completion date, so that the report's counts read only the index.

Revision ID: e6a6d94b94bc
Revises: 582266e81329
Create Date: 2026-11-26 03:42:54.494800

"""

from alembic import op

revision = "e6a6d94b94bc"
down_revision = "582266e81329"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_enrolments_cohort_id_completed_at", ["cohort_id", "completed_at"], unique=False
        )
        batch_op.create_index(
            "ix_enrolments_course_id_completed_at", ["course_id", "completed_at"], unique=False
        )
        # The new indexes serve every lookup by course or cohort that these did.
        batch_op.drop_index(batch_op.f("ix_enrolments_cohort_id"))
        batch_op.drop_index(batch_op.f("ix_enrolments_course_id"))


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolments_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolments_cohort_id"), ["cohort_id"], unique=False)
        batch_op.drop_index("ix_enrolments_course_id_completed_at")
        batch_op.drop_index("ix_enrolments_cohort_id_completed_at")
