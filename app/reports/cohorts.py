"""Cohorts and programmes as officers manage them: who reports on what."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.courses.models import Course
from app.extensions import db
from app.learning.models import Cohort, Enrolment, Programme
from app.learning.services import create_cohort
from app.reports.services import visible_cohort_ids


class CohortError(Exception):
    """A change that cannot be made, with a message for the officer."""


def visible_cohorts(user) -> list[tuple[Cohort, int]]:
    """The cohorts a user reports on, each with its number of enrolments (two queries)."""
    scope = visible_cohort_ids(user)
    query = select(Cohort).order_by(Cohort.starts_on.desc().nulls_last(), Cohort.name)
    if scope is not None:
        query = query.where(Cohort.id.in_(scope or {-1}))
    cohorts = list(db.session.scalars(query))
    counts = dict(
        db.session.execute(
            select(Enrolment.cohort_id, func.count())
            .where(Enrolment.cohort_id.in_([cohort.id for cohort in cohorts]))
            .group_by(Enrolment.cohort_id)
        ).all()
    )
    return [(cohort, counts.get(cohort.id, 0)) for cohort in cohorts]


def visible_programmes(user) -> list[Programme]:
    query = select(Programme).order_by(Programme.name)
    if user.role != Role.ADMIN.value:
        query = query.where(Programme.officers.any(User.id == user.id))
    return list(db.session.scalars(query))


def published_courses() -> list[Course]:
    query = select(Course).where(Course.is_draft.is_(False)).order_by(Course.slug)
    return list(db.session.scalars(query))


def new_cohort(user, values: dict) -> Cohort:
    """Create a cohort; the officer who creates it reports on it."""
    courses = [course for course in published_courses() if course.id in set(values["courses"])]
    cohort = create_cohort(
        values["name"],
        courses,
        country=values["country"] or None,
        organisation=values["organisation"] or None,
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
    )
    if values["programme"]:
        cohort.programme_id = int(values["programme"])
    if user.role == Role.OFFICER.value:
        cohort.officers.append(db.session.get(User, user.id))
    return cohort


def find_officer(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        raise CohortError(_("No account uses this email address."))
    if user.role != Role.OFFICER.value:
        raise CohortError(_("Only programme officer accounts can report on a cohort."))
    return user


def add_officer(target, email: str) -> User:
    """Let an officer report on a cohort or a programme."""
    officer = find_officer(email)
    if officer not in target.officers:
        target.officers.append(officer)
    return officer


def create_programme(name: str) -> Programme:
    if db.session.scalar(select(func.count()).where(Programme.name == name)):
        raise CohortError(_("A programme with this name exists already."))
    programme = Programme(name=name)
    db.session.add(programme)
    db.session.flush()
    return programme
