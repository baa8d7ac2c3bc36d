"""A small, hand-countable population for the report tests."""

import csv
import io
from datetime import UTC, datetime

import pytest

from app.assessments.models import Quiz, QuizResult
from app.certificates.models import Certificate
from app.courses.importer import find_course
from app.extensions import db
from app.learning import services as learning
from app.learning.models import Cohort, Enrolment
from tests.conftest import sign_in


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


# name, country, gender, locale, cohort, enrolled, progress, completed, final score, certified
PEOPLE = [
    ("Awa", "SN", "female", "fr", "dakar", "2026-01-10", 100, "2026-01-20", 90.0, True),
    ("Moussa", "SN", "male", "fr", "dakar", "2026-01-15", 100, "2026-02-14", 60.0, True),
    ("Fatou", "SN", "female", "fr", "dakar", "2026-02-01", 50, None, None, False),
    ("Ibrahima", "SN", None, "fr", "dakar", "2026-02-03", 0, None, None, False),
    ("Wanjiru", "KE", "female", "sw", "nairobi", "2026-01-05", 100, "2026-01-09", 80.0, False),
    ("Otieno", "KE", "male", "en", "nairobi", "2026-03-01", 20, None, None, False),
    ("Nadia", "BD", "female", "en", None, "2026-03-02", 100, "2026-03-30", 40.0, False),
]


@pytest.fixture
def population(app, create_user, mini_course):
    """Seven learners of water-basics: two cohorts and one without. Returns cohort ids."""
    users = [
        create_user(name=name, country=country, gender=gender, locale=locale)
        for name, country, gender, locale, *_rest in PEOPLE
    ]
    with app.test_request_context():
        course = find_course("water-basics")
        cohorts = {
            "dakar": learning.create_cohort("Dakar 2026", [course], country="SN"),
            "nairobi": learning.create_cohort("Nairobi 2026", [course], country="KE"),
        }
        final = Quiz(course_id=course.id, key="final", category="final", pass_mark=50)
        db.session.add(final)
        db.session.flush()
        for user, person in zip(users, PEOPLE, strict=True):
            _name, _country, _gender, _locale, cohort, enrolled, progress, done, score, cert = (
                person
            )
            enrolment = Enrolment(
                user_id=user.id,
                course_id=course.id,
                cohort_id=cohorts[cohort].id if cohort else None,
                enrolled_at=at(enrolled),
                started_at=at(enrolled) if progress else None,
                last_activity_at=at(done or enrolled),
                completed_at=at(done) if done else None,
                progress_percent=progress,
            )
            db.session.add(enrolment)
            db.session.flush()
            if score is not None:
                db.session.add(
                    QuizResult(
                        enrolment_id=enrolment.id,
                        quiz_id=final.id,
                        score=score,
                        is_passed=score >= 50,
                        attempts_used=1,
                    )  # fmt: skip
                )
            if cert:
                db.session.add(
                    Certificate(
                        enrolment_id=enrolment.id,
                        user_id=user.id,
                        course_id=course.id,
                        code=f"CODE{enrolment.id}",
                        content={},
                        signature="x",
                        completed_on=at(done).date(),
                    )  # fmt: skip
                )
        db.session.commit()
        return {key: cohort.id for key, cohort in cohorts.items()}


@pytest.fixture
def officer_client(app, create_user, population):
    """An officer of the Dakar cohort only."""
    officer = create_user(role="officer")
    with app.app_context():
        cohort = db.session.get(Cohort, population["dakar"])
        from app.accounts.models import User

        cohort.officers.append(db.session.get(User, officer.id))
        db.session.commit()
    client = app.test_client()
    sign_in(client, officer)
    return client


@pytest.fixture
def admin_client(app, create_user, population):
    client = app.test_client()
    sign_in(client, create_user(role="admin"))
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def read_csv(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))
