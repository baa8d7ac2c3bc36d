"""What instructors see of their quizzes: item statistics and the essays waiting for marks."""

import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments import gift
from app.assessments.models import Attempt, AttemptAnswer, Question, QuestionTranslation, Quiz
from app.assessments.services import grade_attempt
from app.database import utcnow
from app.extensions import db
from app.learning.models import Enrolment


@dataclass
class QuestionStats:
    question: Question
    text: str
    answered: int = 0
    facility: float | None = None  # mean share of the marks, 0..1
    discrimination: float | None = None  # correlation of the item with the total, -1..1
    options: list[tuple[str, int]] = field(default_factory=list)  # (option text, times chosen)


@dataclass
class QuizStats:
    attempts: int
    pass_rate: float | None
    mean_score: float | None
    questions: list[QuestionStats]


def quiz_stats(quiz: Quiz, locale: str, source_locale: str) -> QuizStats:
    """Attempts, pass rate and mean score, then per question facility, discrimination and
    how often each option was chosen. Sums are computed in SQL, so the cost does not grow
    with the number of rows sent to Python, except for the option counts."""
    graded = (
        Attempt.quiz_id == quiz.id,
        Attempt.submitted_at.is_not(None),
        Attempt.score.is_not(None),
    )
    count, passed, mean = db.session.execute(
        select(
            func.count(Attempt.id),
            func.count(Attempt.id).filter(Attempt.is_passed),
            func.avg(Attempt.score),
        ).where(*graded)
    ).one()
    rows = db.session.execute(
        select(
            AttemptAnswer.question_id,
            func.count(AttemptAnswer.id),
            func.sum(AttemptAnswer.fraction),
            func.sum(Attempt.score),
            func.sum(AttemptAnswer.fraction * Attempt.score),
            func.sum(AttemptAnswer.fraction * AttemptAnswer.fraction),
            func.sum(Attempt.score * Attempt.score),
        )
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(*graded, AttemptAnswer.fraction.is_not(None))
        .group_by(AttemptAnswer.question_id)
    ).all()
    sums = {row[0]: row[1:] for row in rows}
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.course_id == quiz.course_id, Question.category == quiz.category)
            .order_by(Question.position)
        )
    )
    texts = _texts([q.id for q in questions], locale, source_locale)
    chosen = _choices(quiz)
    stats = []
    for question in questions:
        item = QuestionStats(question, texts.get(question.id, ("", []))[0])
        if question.id in sums:
            n, sx, sy, sxy, sxx, syy = (float(value or 0) for value in sums[question.id])
            item.answered = int(n)
            item.facility = sx / n
            item.discrimination = _correlation(n, sx, sy, sxy, sxx, syy)
        option_texts = texts.get(question.id, ("", []))[1]
        if question.kind in (gift.SINGLE, gift.MULTIPLE, gift.TRUE_FALSE):
            item.options = [
                (
                    option_texts[o.position]["text"] if o.position < len(option_texts) else "",
                    chosen[o.id],
                )
                for o in question.options
            ]
        stats.append(item)
    return QuizStats(
        count, (passed / count) if count else None, float(mean) if mean is not None else None, stats
    )


def _correlation(n, sx, sy, sxy, sxx, syy) -> float | None:
    """Pearson correlation of item marks with attempt scores (the discrimination index)."""
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if n < 2 or spread <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread)


def _texts(ids, locale, source_locale) -> dict[int, tuple[str, list]]:
    query = select(QuestionTranslation).where(
        QuestionTranslation.question_id.in_(ids),
        QuestionTranslation.locale.in_({locale, source_locale}),
    )
    found: dict[int, tuple[str, list]] = {}
    for row in db.session.scalars(query):
        if row.locale == locale or row.question_id not in found:
            found[row.question_id] = (row.text, row.options)
    return found


def _choices(quiz: Quiz) -> Counter:
    counts: Counter = Counter()
    query = (
        select(AttemptAnswer.response)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.submitted_at.is_not(None))
        .execution_options(yield_per=1000)
    )
    for response in db.session.scalars(query):
        if "choice" in response:
            counts[response["choice"]] += 1
        for option_id in response.get("choices", []):
            counts[option_id] += 1
    return counts


@dataclass
class EssayToMark:
    answer: AttemptAnswer
    learner: str
    question: str


def essays_to_mark(course_id: int, locale: str, source_locale: str) -> list[EssayToMark]:
    """Essay answers of submitted attempts in this course that have no mark yet (3 queries)."""
    rows = db.session.execute(
        select(AttemptAnswer, User.name)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(
            Question.course_id == course_id,
            Question.kind == gift.ESSAY,
            Attempt.submitted_at.is_not(None),
            AttemptAnswer.fraction.is_(None),
        )
        .order_by(Attempt.submitted_at)
    ).all()
    texts = _texts([answer.question_id for answer, _name in rows], locale, source_locale)
    return [
        EssayToMark(answer, name, texts.get(answer.question_id, ("", []))[0])
        for answer, name in rows
    ]


def find_essay_answer(course_id: int, answer_id: int) -> AttemptAnswer | None:
    """An essay answer of this course (so an instructor cannot mark another course's)."""
    return db.session.scalar(
        select(AttemptAnswer)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .where(
            AttemptAnswer.id == answer_id,
            Question.course_id == course_id,
            Question.kind == gift.ESSAY,
        )
    )


def mark_essay(
    answer: AttemptAnswer, percent: int, comment: str, marker: User, locale: str
) -> None:
    """Record the mark, then regrade the attempt: it may now pass and count for completion."""
    answer.fraction = percent / 100
    answer.marker_comment = comment.strip() or None
    answer.marked_by_id = marker.id
    answer.saved_at = utcnow()
    db.session.flush()
    grade_attempt(db.session.get(Attempt, answer.attempt_id), locale)
