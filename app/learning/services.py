"""Enrolment, cohorts and progress: the writes are idempotent and safe under concurrency."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, exists, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.assessments.definitions import QuizDefinition, course_bank
from app.assessments.models import Quiz, QuizResult
from app.certificates.services import certificates_of, issue_certificate
from app.courses.models import Course, Lesson, Module
from app.courses.services import LessonView, Text, course_titles
from app.database import insert_ignoring_conflicts, utcnow
from app.extensions import db
from app.learning.models import Cohort, Enrolment, LessonProgress, cohort_courses

# Easy to read aloud and type: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class EnrolmentError(Exception):
    """Why an enrolment was refused; the view says it in the learner's language."""


class AlreadyEnrolled(EnrolmentError):
    pass


class UnknownCohortCode(EnrolmentError):
    pass


class CohortNotForCourse(EnrolmentError):
    pass


def normalise_join_code(code: str) -> str:
    return "".join(char for char in code.upper() if char.isalnum())


def format_join_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def create_cohort(
    name: str,
    courses: list[Course],
    *,
    country: str | None = None,
    organisation: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Cohort:
    code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    cohort = Cohort(
        name=name.strip(),
        join_code=code,
        country=country,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        courses=courses,
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def find_cohort_for(course: Course, code: str) -> Cohort:
    """The cohort a join code opens for this course, or an EnrolmentError saying why not."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == normalise_join_code(code)))
    if cohort is None:
        raise UnknownCohortCode(code)
    covers = db.session.scalar(
        select(func.count())
        .select_from(cohort_courses)
        .where(cohort_courses.c.cohort_id == cohort.id, cohort_courses.c.course_id == course.id)
    )
    if not covers:
        raise CohortNotForCourse(code)
    return cohort


def enrol(user_id: int, course: Course, cohort_code: str = "") -> Enrolment:
    """Enrol a learner once, optionally in a cohort; a second enrolment raises AlreadyEnrolled."""
    cohort = find_cohort_for(course, cohort_code) if cohort_code.strip() else None
    added = insert_ignoring_conflicts(
        Enrolment,
        user_id=user_id,
        course_id=course.id,
        cohort_id=cohort.id if cohort else None,
        enrolled_at=utcnow(),
        progress_percent=0,
    )
    if not added:
        raise AlreadyEnrolled(course.slug)
    return find_enrolment(user_id, course.id)


def join_cohort(user_id: int, code: str) -> tuple[Cohort, int]:
    """Put a learner in the cohort a join code opens, for each of its courses: an existing
    enrolment moves into the cohort, a missing one is made. Returns the cohort and how many
    enrolments were made or moved."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == normalise_join_code(code)))
    if cohort is None:
        raise UnknownCohortCode(code)
    changed = 0
    for course in cohort.courses:
        if not course.is_published:
            continue
        enrolment = find_enrolment(user_id, course.id)
        if enrolment is None:
            insert_ignoring_conflicts(
                Enrolment, user_id=user_id, course_id=course.id, cohort_id=cohort.id,
                enrolled_at=utcnow(), progress_percent=0,
            )  # fmt: skip
            changed += 1
        elif enrolment.cohort_id != cohort.id:
            enrolment.cohort_id = cohort.id
            changed += 1
    return cohort, changed


def find_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )


@dataclass
class Reading:
    """A published course as one learner reads it: their enrolment (None if not enrolled)
    and, when a lesson was named, whether they have completed it."""

    course: Course
    enrolment: Enrolment | None
    lesson_done: bool = False


def _reading_query(with_lesson: bool):
    mine = and_(Enrolment.course_id == Course.id, Enrolment.user_id == bindparam("user_id"))
    query = select(Course, Enrolment).outerjoin(Enrolment, mine)
    if with_lesson:
        done = exists().where(
            LessonProgress.enrolment_id == Enrolment.id,
            LessonProgress.lesson_id == Lesson.id,
            Lesson.course_id == Course.id,
            Lesson.key == bindparam("lesson_key"),
        )
        query = query.add_columns(done.correlate(Course, Enrolment))
    return query.where(Course.slug == bindparam("slug"), Course.is_published)


# Built once: every learner page asks it, and building a statement costs more than running it.
_READING = {False: _reading_query(False), True: _reading_query(True)}


def find_reading(user_id: int, slug: str, lesson_key: str | None = None) -> Reading | None:
    """The published course with this slug and the learner's enrolment, in one query."""
    params = {"user_id": user_id, "slug": slug}
    if lesson_key is not None:
        params["lesson_key"] = lesson_key
    row = db.session.execute(_READING[lesson_key is not None], params).first()
    return Reading(*row) if row is not None else None


def completed_lesson_ids(enrolment_id: int) -> set[int]:
    query = select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment_id)
    return set(db.session.scalars(query))


def mark_lesson_complete(enrolment: Enrolment, lesson_id: int) -> bool:
    """Record a completed lesson once; returns True when this completed the whole course."""
    now = utcnow()
    # Write first: this takes the enrolment's row lock (PostgreSQL) or the write lock
    # (SQLite), so concurrent marks for the same learner count each other's lessons.
    db.session.execute(_STARTED, {"enrolment_id": enrolment.id, "now": now})
    db.session.expire(enrolment, ["started_at"])
    insert_ignoring_conflicts(
        LessonProgress, enrolment_id=enrolment.id, lesson_id=lesson_id, completed_at=now
    )
    return refresh_progress(enrolment, active_at=now)


def refresh_progress(enrolment: Enrolment, active_at: datetime | None = None) -> bool:
    """Recount the share of required items done (and note the learner's activity at
    `active_at`); returns True if the course just completed."""
    params = {"enrolment_id": enrolment.id}
    if active_at is not None:
        params["active_at"] = active_at
    statement = _REFRESH[active_at is not None]
    percent, completed_at = db.session.execute(statement, params).one()
    set_committed_value(enrolment, "progress_percent", percent)
    set_committed_value(enrolment, "completed_at", completed_at)
    if active_at is not None:
        set_committed_value(enrolment, "last_activity_at", active_at)
    if enrolment.progress_percent == 100 and enrolment.completed_at is None:
        enrolment.completed_at = utcnow()
        issue_certificate(enrolment)
        return True
    return False


def refresh_course_progress(course_id: int) -> None:
    """Recount every enrolment of a course whose required items changed (one statement).

    Completion already reached is history and stays; only the percentage follows the course.
    """
    db.session.execute(
        update(Enrolment)
        .where(Enrolment.course_id == course_id)
        .values(progress_percent=_percent_done())
        .execution_options(synchronize_session=False)
    )


def _percent_done():
    """SQL for an enrolment's share of required items (lessons and quizzes) done."""
    required_lessons = (
        select(func.count(Lesson.id))
        .where(Lesson.course_id == Enrolment.course_id, Lesson.is_required)
        .scalar_subquery()
    )
    required_quizzes = (
        select(func.count(Quiz.id))
        .where(Quiz.course_id == Enrolment.course_id, Quiz.is_required)
        .scalar_subquery()
    )
    lessons_done = (
        select(func.count(LessonProgress.id))
        .join(Lesson, and_(Lesson.id == LessonProgress.lesson_id, Lesson.is_required))
        .where(LessonProgress.enrolment_id == Enrolment.id)
        .scalar_subquery()
    )
    quizzes_passed = (
        select(func.count(QuizResult.id))
        .join(Quiz, and_(Quiz.id == QuizResult.quiz_id, Quiz.is_required))
        .where(QuizResult.enrolment_id == Enrolment.id, QuizResult.is_passed)
        .scalar_subquery()
    )
    required = required_lessons + required_quizzes
    done = lessons_done + quizzes_passed
    return func.coalesce((100 * done) // func.nullif(required, 0), 100)


def _refresh_statement(active: bool):
    values = {"progress_percent": _percent_done()}
    if active:
        values["last_activity_at"] = bindparam("active_at")
    return (
        update(Enrolment)
        .where(Enrolment.id == bindparam("enrolment_id"))
        .values(**values)
        .returning(Enrolment.progress_percent, Enrolment.completed_at)
        .execution_options(synchronize_session=False)
    )


# Built once: every lesson marked and every quiz graded runs them.
_REFRESH = {False: _refresh_statement(False), True: _refresh_statement(True)}
# The activity time is written by the recount that follows, with RETURNING.
_STARTED = (
    update(Enrolment)
    .where(Enrolment.id == bindparam("enrolment_id"))
    .values(started_at=func.coalesce(Enrolment.started_at, bindparam("now")))
    .execution_options(synchronize_session=False)
)


def quiz_after(view: LessonView) -> QuizDefinition | None:
    """The module's quiz after its last lesson, or the final assessment after the course's."""
    if view.next is not None and view.next.module_id == view.lesson.module_id:
        return None
    quizzes = {quiz.module_id: quiz for quiz in course_bank(view.outline.course).quizzes}
    return quizzes.get(view.lesson.module_id) or (quizzes.get(None) if view.next is None else None)


@dataclass
class LessonPlace:
    """Where a lesson stands in its course: enough to link and to resume."""

    id: int
    key: str
    module_id: int
    is_required: bool


def ordered_lessons(course_ids: list[int]) -> dict[int, list[LessonPlace]]:
    """Every lesson of these courses in reading order, by course (one query)."""
    query = (
        select(Lesson.course_id, Lesson.id, Lesson.key, Lesson.module_id, Lesson.is_required)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id.in_(course_ids))
        .order_by(Lesson.course_id, Module.position, Lesson.position)
    )
    lessons: dict[int, list[LessonPlace]] = {course_id: [] for course_id in course_ids}
    for course_id, *place in db.session.execute(query):
        lessons[course_id].append(LessonPlace(*place))
    return lessons


def first_unfinished(lessons: list[LessonPlace], done: set[int]) -> LessonPlace | None:
    """Where to continue: the first lesson not yet done, else the first lesson."""
    return next((lesson for lesson in lessons if lesson.id not in done), None) or (
        lessons[0] if lessons else None
    )


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    course: Course
    title: Text
    continue_key: str | None
    certificate: object | None = None


def dashboard(user_id: int, locale: str) -> list[DashboardEntry]:
    """My courses, most recently active first, with where to continue (five queries)."""
    rows = db.session.execute(
        select(Enrolment, Course)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.last_activity_at.desc().nulls_last(), Enrolment.enrolled_at.desc())
    ).all()
    courses = [course for _enrolment, course in rows]
    titles = course_titles(courses, locale)
    lessons = ordered_lessons([course.id for course in courses])
    done: dict[int, set[int]] = {enrolment.id: set() for enrolment, _course in rows}
    progress = select(LessonProgress.enrolment_id, LessonProgress.lesson_id).where(
        LessonProgress.enrolment_id.in_(list(done))
    )
    for enrolment_id, lesson_id in db.session.execute(progress):
        done[enrolment_id].add(lesson_id)
    certificates = certificates_of(user_id)
    entries = []
    for enrolment, course in rows:
        place = first_unfinished(lessons[course.id], done[enrolment.id])
        entries.append(
            DashboardEntry(
                enrolment,
                course,
                titles[course.id],
                place and place.key,
                certificates.get(course.id),
            )
        )
    return entries
