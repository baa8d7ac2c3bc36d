"""The benchmark data set of DESIGN.md: 10,000 learners, 5 courses, 50,000 enrolments,
500,000 lesson-progress rows and 100,000 quiz attempts, spread over a year and over cohorts,
countries, genders and languages. Rows are inserted in bulk; it is deterministic (seeded)."""

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.assessments.files import FINAL, QuestionSource, QuizSource
from app.assessments.models import Attempt, Quiz, QuizResult
from app.certificates.models import Certificate
from app.courses.files import CourseSource, LessonSource, LessonText, ModuleSource
from app.courses.importer import import_course
from app.courses.models import Lesson
from app.database import utcnow
from app.extensions import db
from app.i18n import LOCALES
from app.learning.models import Enrolment, LessonProgress, cohort_courses
from app.learning.services import create_cohort

BATCH = 5_000
COUNTRIES = ("SN", "KE", "BD", "NG", "GH", "TZ", "PE", "EG", "IN", "BR")
GENDERS = ("female", "male", "other", None)
BENCHMARK_PASSWORD = "benchmark-password"  # noqa: S105 - synthetic accounts on a test database


def _course(number: int) -> CourseSource:
    modules = []
    for module in range(4):
        lessons = [
            LessonSource(
                f"lesson-{module}-{lesson}",
                True,
                {"en": LessonText(f"Lesson {module}.{lesson}", "Benchmark lesson text. " * 40)},
            )
            for lesson in range(5)
        ]
        modules.append(ModuleSource(f"module-{module}", {"en": f"Module {module}"}, lessons))
    # The final assessment: ten true/false questions, as a short real quiz would have.
    options = [{"fraction": 1.0, "low": None, "high": None},
               {"fraction": 0.0, "low": None, "high": None}]  # fmt: skip
    questions = [
        QuestionSource(
            key=f"q{n}",
            category=FINAL,
            kind="truefalse",
            markup="moodle",
            options=[dict(option) for option in options],
        )  # fmt: skip
        for n in range(1, 11)
    ]
    source = CourseSource(
        folder=Path(f"benchmark-{number}"),
        slug=f"benchmark-{number}",
        source_locale="en",
        level="beginner",
        estimated_hours=Decimal("4.0"),
        published=True,
        titles={"en": f"Benchmark course {number}"},
        summaries={"en": "A course of the benchmark data set."},
        modules=modules,
        final=QuizSource(FINAL, FINAL),
        questions=questions,
    )
    for n, question in enumerate(questions, start=1):
        question.texts["en"] = {
            "text": f"Statement {n} is true?", "general_feedback": "",
            "options": [{"text": "true", "feedback": "", "match": ""},
                        {"text": "false", "feedback": "", "match": ""}],
        }  # fmt: skip
    return source


def _bulk(model_or_table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model_or_table), rows[start : start + BATCH])


def seed_benchmark(learners=10_000, enrolments=50_000, progress=500_000, attempts=100_000, seed=1):
    """Insert the data set; returns what was made. Meant for an empty benchmark database."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    for number in range(1, 6):
        import_course(_course(number))
        db.session.flush()
    courses = list(
        db.session.scalars(
            select(Lesson.course_id).where(Lesson.key == "lesson-0-0").order_by(Lesson.course_id)
        )
    )
    cohorts = [
        create_cohort(f"Cohort {index + 1}", [], country=COUNTRIES[index % len(COUNTRIES)])
        for index in range(20)
    ]
    _bulk(cohort_courses, [
        {"cohort_id": cohort.id, "course_id": courses[index % len(courses)]}
        for index, cohort in enumerate(cohorts)
    ])  # fmt: skip
    password = generate_password_hash(BENCHMARK_PASSWORD)
    now = utcnow()
    _bulk(User, [
        {"email": f"learner{n}@benchmark.example", "name": f"Learner {n}",
         "password_hash": password, "role": "learner", "country": rng.choice(COUNTRIES),
         "locale": rng.choice(LOCALES), "gender": rng.choice(GENDERS), "is_active": True,
         "created_at": now}
        for n in range(learners)
    ])  # fmt: skip
    user_ids = list(
        db.session.scalars(select(User.id).where(User.email.like("%@benchmark.example")))
    )
    lessons = {
        course_id: list(
            db.session.scalars(
                select(Lesson.id).where(Lesson.course_id == course_id).order_by(Lesson.position)
            )
        )
        for course_id in courses
    }
    pairs = sorted(
        {
            (user_ids[n % len(user_ids)], courses[(n // len(user_ids)) % len(courses)])
            for n in range(enrolments)
        }
    )
    enrolment_rows = []
    for user_id, course_id in pairs:
        enrolled = now - timedelta(days=rng.uniform(0, 365))
        share = rng.random()
        percent = 100 if share > 0.7 else int(share * 100)
        completed = enrolled + timedelta(days=rng.uniform(3, 60)) if percent == 100 else None
        cohort = cohorts[rng.randrange(len(cohorts))].id if rng.random() < 0.8 else None
        enrolment_rows.append({
            "user_id": user_id, "course_id": course_id, "cohort_id": cohort,
            "enrolled_at": enrolled, "started_at": enrolled if percent else None,
            "last_activity_at": completed or enrolled, "completed_at": completed,
            "progress_percent": percent,
        })  # fmt: skip
    _bulk(Enrolment, enrolment_rows)
    enrolled = db.session.execute(
        select(
            Enrolment.id,
            Enrolment.course_id,
            Enrolment.progress_percent,
            Enrolment.user_id,
            Enrolment.completed_at,
        )  # fmt: skip
    ).all()
    progress_rows, budget = [], progress
    for enrolment_id, course_id, percent, _user, _done in enrolled:
        done = lessons[course_id][: max(0, round(20 * percent / 100))]
        for lesson_id in done[:budget]:
            progress_rows.append({"enrolment_id": enrolment_id, "lesson_id": lesson_id,
                                  "completed_at": now})  # fmt: skip
        budget -= len(done[:budget])
        if len(progress_rows) >= BATCH:
            _bulk(LessonProgress, progress_rows)
            progress_rows = []
    _bulk(LessonProgress, progress_rows)
    finals = dict(
        db.session.execute(select(Quiz.course_id, Quiz.id).where(Quiz.key == FINAL)).all()
    )
    attempt_rows, result_rows, certificate_rows = [], [], []
    for index in range(min(attempts, 2 * len(enrolled))):
        enrolment_id, course_id, _percent, user_id, done = enrolled[index % len(enrolled)]
        number = index // len(enrolled) + 1
        score = float(rng.randint(30, 100))
        attempt_rows.append({"quiz_id": finals[course_id], "enrolment_id": enrolment_id,
                             "number": number, "started_at": now, "submitted_at": now,
                             "plan": [], "score": score, "is_passed": score >= 70,
                             "is_late": False, "is_awaiting_marking": False})  # fmt: skip
        if number > 1:
            continue
        result_rows.append({"enrolment_id": enrolment_id, "quiz_id": finals[course_id],
                            "score": score, "is_passed": score >= 70, "attempts_used": 1,
                            "updated_at": now})  # fmt: skip
        if done is not None:
            certificate_rows.append({"enrolment_id": enrolment_id, "user_id": user_id,
                                     "course_id": course_id, "code": f"BENCH{enrolment_id:012d}",
                                     "content": {}, "signature": "benchmark",
                                     "completed_on": done.date(), "issued_at": now})  # fmt: skip
    _bulk(Attempt, attempt_rows)
    _bulk(QuizResult, result_rows)
    _bulk(Certificate, certificate_rows)
    return {
        "learners": len(user_ids), "courses": len(courses), "cohorts": len(cohorts),
        "enrolments": len(enrolled), "lesson progress": progress - budget,
        "quiz attempts": len(attempt_rows), "certificates": len(certificate_rows),
    }  # fmt: skip
