"""Completion reports: who enrolled, started, finished and was certified, aggregated in SQL.

Every figure is computed by the database over the enrolments an officer may see (their
cohorts, and the cohorts of their programmes; everything for an admin) and the filters in
the query string. Small counts are suppressed by `suppress` so nobody can be singled out.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.sql import ColumnElement, Select

from app.accounts.models import Role, User
from app.assessments.files import FINAL
from app.assessments.models import Quiz, QuizResult
from app.certificates.models import Certificate
from app.database import utcnow
from app.extensions import db
from app.learning.models import Cohort, Enrolment, cohort_officers, programme_officers

DIMENSIONS = ("course", "cohort", "country", "gender", "language")


@dataclass(frozen=True)
class Filters:
    course_id: int | None = None
    cohort_id: int | None = None
    country: str | None = None
    gender: str | None = None
    language: str | None = None
    start: date | None = None
    end: date | None = None


def visible_cohort_ids(user) -> set[int] | None:
    """The cohorts an officer reports on; None means every enrolment (an admin)."""
    if user.role == Role.ADMIN.value:
        return None
    direct = select(cohort_officers.c.cohort_id).where(cohort_officers.c.user_id == user.id)
    programmes = select(programme_officers.c.programme_id).where(
        programme_officers.c.user_id == user.id
    )
    through = select(Cohort.id).where(Cohort.programme_id.in_(programmes))
    return set(db.session.scalars(direct.union(through)))


def can_see_cohort(user, cohort_id: int) -> bool:
    scope = visible_cohort_ids(user)
    return scope is None or cohort_id in scope


def conditions(filters: Filters, scope: set[int] | None) -> list[ColumnElement]:
    """WHERE clauses over enrolments joined to users, for a scope and filters."""
    where = []
    if scope is not None:
        where.append(Enrolment.cohort_id.in_(scope or {-1}))
    if filters.course_id:
        where.append(Enrolment.course_id == filters.course_id)
    if filters.cohort_id:
        where.append(Enrolment.cohort_id == filters.cohort_id)
    if filters.country:
        where.append(User.country == filters.country)
    if filters.gender:
        where.append(User.gender == filters.gender)
    if filters.language:
        where.append(User.locale == filters.language)
    if filters.start:
        where.append(Enrolment.enrolled_at >= _midnight(filters.start))
    if filters.end:
        where.append(Enrolment.enrolled_at < _midnight(filters.end + timedelta(days=1)))
    return where


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _count_if(condition) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _uses_users(filters: Filters, dimension: str | None = None) -> bool:
    """Whether a query needs the learners' table (joining it costs a lookup per row)."""
    personal = filters.country or filters.gender or filters.language
    return bool(personal) or dimension in ("country", "gender", "language")


def _final_results():
    return (
        select(QuizResult.enrolment_id, QuizResult.score, QuizResult.is_passed)
        .join(Quiz, Quiz.id == QuizResult.quiz_id)
        .where(Quiz.key == FINAL)
        .subquery("final_results")
    )


@dataclass
class Figures:
    enrolled: int = 0
    active: int = 0
    started: int = 0
    halfway: int = 0
    completed: int = 0
    certified: int = 0
    final_taken: int = 0
    final_passed: int = 0
    mean_final_score: float | None = None
    median_days: float | None = None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None

    @property
    def pass_rate(self) -> float | None:
        return self.final_passed / self.final_taken if self.final_taken else None


def key_figures(filters: Filters, scope: set[int] | None, now: datetime | None = None) -> Figures:
    """The headline figures and the funnel, in four queries."""
    where = conditions(filters, scope)
    since = (now or utcnow()) - timedelta(days=30)
    users = _uses_users(filters)
    row = db.session.execute(
        _join_users(
            select(
                func.count(Enrolment.id),
                _count_if(Enrolment.last_activity_at >= since),
                _count_if(or_(Enrolment.started_at.is_not(None), Enrolment.progress_percent > 0)),
                _count_if(Enrolment.progress_percent >= 50),
                _count_if(Enrolment.completed_at.is_not(None)),
            ).select_from(Enrolment),
            users,
        ).where(*where)
    ).one()
    certified = db.session.scalar(
        _join_users(
            select(func.count(Certificate.id))
            .select_from(Certificate)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id),
            users,
        ).where(*where, Certificate.revoked_at.is_(None))
    )
    figures = Figures(*[int(value or 0) for value in row], certified=int(certified or 0))
    final = _final_results()
    taken, passed, mean = db.session.execute(
        _join_users(
            select(
                func.count(final.c.enrolment_id),
                _count_if(final.c.is_passed.is_(True)),
                func.avg(final.c.score),
            ).select_from(Enrolment),
            users,
        )
        .join(final, final.c.enrolment_id == Enrolment.id)
        .where(*where)
    ).one()
    figures.final_taken, figures.final_passed = int(taken or 0), int(passed or 0)
    figures.mean_final_score = float(mean) if mean is not None else None
    figures.median_days = median_days_to_complete(where, users, figures.completed)
    return figures


def _join_users(query: Select, needed: bool) -> Select:
    return query.join(User, User.id == Enrolment.user_id) if needed else query


def _days_to_complete() -> ColumnElement:
    """Days from enrolment to completion, in the database's own date arithmetic."""
    if db.engine.dialect.name == "postgresql":
        seconds = func.extract("epoch", Enrolment.completed_at - Enrolment.enrolled_at)
        return seconds / 86400.0
    return func.julianday(Enrolment.completed_at) - func.julianday(Enrolment.enrolled_at)


def median_days_to_complete(where: list, with_users: bool, total: int) -> float | None:
    """The median of `total` completions, found by the database: the middle one or two."""
    if not total:
        return None
    done = [*where, Enrolment.completed_at.is_not(None)]
    days = _days_to_complete()
    middle = (
        _join_users(select(days).select_from(Enrolment), with_users)
        .where(*done)
        .order_by(days)
        .offset((total - 1) // 2)
        .limit(2 if total % 2 == 0 else 1)
    )
    values = [float(value) for value in db.session.scalars(middle)]
    return sum(values) / len(values)


@dataclass
class BreakdownRow:
    key: object
    label: str
    enrolled: int
    completed: int
    certified: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None


def _dimension_column(dimension: str) -> ColumnElement:
    return {
        "course": Enrolment.course_id,
        "cohort": Enrolment.cohort_id,
        "country": User.country,
        "gender": User.gender,
        "language": User.locale,
    }[dimension]


def breakdown(dimension: str, filters: Filters, scope: set[int] | None, labels) -> list:
    """Enrolled, completed and certified per value of one dimension, largest first."""
    return _grouped_breakdowns([dimension], filters, scope, labels)[dimension]


# The learner's own dimensions: one grouped scan over (country, gender, language) costs
# about what one of them alone does, as the join to the learners' table is the cost.
LEARNER_DIMENSIONS = ("country", "gender", "language")


def breakdowns(
    dimensions: list[str], filters: Filters, scope: set[int] | None, labels
) -> dict[str, list[BreakdownRow]]:
    """Each dimension's breakdown; the learner dimensions from one scan between them."""
    together = [dimension for dimension in dimensions if dimension in LEARNER_DIMENSIONS]
    found = _grouped_breakdowns(together, filters, scope, labels) if together else {}
    for dimension in dimensions:
        if dimension not in found:
            found[dimension] = breakdown(dimension, filters, scope, labels)
    return {dimension: found[dimension] for dimension in dimensions}


def _none_first(key) -> tuple:
    """Sort key: "not given" (None) before any value, never compared with one."""
    return (False, 0) if key is None else (True, key)


def _grouped_breakdowns(dimensions: list[str], filters, scope, labels) -> dict:
    """Breakdowns of the given dimensions from two grouped scans (enrolments, then
    certificates, the fewer: cheaper than an outer join per row), added up here per
    dimension, largest first; ties by value, "not given" first."""
    columns = [_dimension_column(dimension) for dimension in dimensions]
    where = conditions(filters, scope)
    users = any(_uses_users(filters, dimension) for dimension in dimensions)
    enrolled_rows = db.session.execute(
        _join_users(
            select(
                *columns, func.count(Enrolment.id), _count_if(Enrolment.completed_at.is_not(None))
            ),
            users,
        )
        .where(*where)
        .group_by(*columns)
    ).all()
    certified_rows = db.session.execute(
        _join_users(
            select(*columns, func.count(Certificate.id))
            .select_from(Certificate)
            .join(Enrolment, Enrolment.id == Certificate.enrolment_id),
            users,
        )
        .where(*where, Certificate.revoked_at.is_(None))
        .group_by(*columns)
    ).all()
    found = {}
    for index, dimension in enumerate(dimensions):
        enrolled: Counter = Counter()
        completed: Counter = Counter()
        certified: Counter = Counter()
        for row in enrolled_rows:
            enrolled[row[index]] += int(row[-2])
            completed[row[index]] += int(row[-1] or 0)
        for row in certified_rows:
            certified[row[index]] += int(row[-1])
        keys = sorted(enrolled, key=lambda key: (-enrolled[key], _none_first(key)))
        names = labels(dimension, keys)
        found[dimension] = [
            BreakdownRow(
                key, names.get(key, str(key)), enrolled[key], completed[key], certified[key]
            )  # fmt: skip
            for key in keys
        ]
    return found


def _month(column) -> ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


@dataclass
class Month:
    month: str  # YYYY-MM
    enrolled: int = 0
    completed: int = 0


def monthly(filters: Filters, scope: set[int] | None) -> list[Month]:
    """Enrolments and completions per calendar month (UTC), every month in between shown."""
    where = conditions(filters, scope)
    counts: dict[str, Month] = {}
    pairs = ((Enrolment.enrolled_at, "enrolled"), (Enrolment.completed_at, "completed"))
    for column, attribute in pairs:
        month = _month(column)
        query = (
            _join_users(select(month, func.count(Enrolment.id)), _uses_users(filters))
            .where(*where, column.is_not(None))
            .group_by(month)
        )
        for key, number in db.session.execute(query):
            setattr(counts.setdefault(key, Month(key)), attribute, int(number))
    if not counts:
        return []
    return [counts.get(key, Month(key)) for key in _months_between(min(counts), max(counts))]


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class Suppressed:
    """A count too small to show: the page says "fewer than N"."""

    threshold: int

    def __str__(self) -> str:  # for exports that need a plain value
        return f"<{self.threshold}"


def suppress(value: int, threshold: int):
    """The count itself, or Suppressed when it could single someone out (1 … threshold-1)."""
    return Suppressed(threshold) if 0 < value < threshold else value


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold
