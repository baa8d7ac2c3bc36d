"""A course's quizzes and question bank as plain values, for learners' attempts.

Read in four queries; for a published course, kept per server under the course's content
version like its lessons (which every changing import or publish raises), so that starting,
showing and grading an attempt read no question, option or quiz setting from the database.
A draft's bank (an instructor's preview) is read anew each time.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal

from sqlalchemy import select

from app.assessments import gift
from app.assessments.models import Question, QuestionOption, QuestionTranslation, Quiz
from app.courses.models import Course
from app.courses.services import published_or_built
from app.extensions import db


@dataclass(frozen=True)
class QuizDefinition:
    """A quiz's settings (the columns of Quiz that learners' pages and grading read)."""

    id: int
    course_id: int
    module_id: int | None
    key: str
    category: str
    is_required: bool
    pass_mark: int
    max_attempts: int | None
    time_limit_minutes: int | None
    draw_count: int | None
    shuffle_questions: bool
    shuffle_options: bool
    review: str
    grading: str


@dataclass(frozen=True)
class OptionDefinition:
    id: int
    position: int
    fraction: float
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class Words:
    """A question's words in one language; `options` follows the options' positions."""

    locale: str
    text: str
    general_feedback: str
    options: list = field(default_factory=list)  # [{"text", "feedback", "match"}]


@dataclass(frozen=True)
class QuestionDefinition:
    id: int
    kind: str
    markup: str
    category: str
    ignore_accents: bool
    options: tuple[OptionDefinition, ...]
    words: dict[str, Words]
    # For short answers: per option position, its text in every language (all accepted).
    accepted: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bank:
    """A course's quizzes and questions (questions in bank order)."""

    quizzes: tuple[QuizDefinition, ...]
    questions: dict[int, QuestionDefinition]

    def quiz(self, key: str) -> QuizDefinition | None:
        return next((quiz for quiz in self.quizzes if quiz.key == key), None)

    def quiz_by_id(self, quiz_id: int) -> QuizDefinition | None:
        return next((quiz for quiz in self.quizzes if quiz.id == quiz_id), None)

    def drawable(self, category: str) -> list[QuestionDefinition]:
        """The questions an attempt at a quiz of this category draws from."""
        return [
            question
            for question in self.questions.values()
            if question.category == category and question.kind != gift.DESCRIPTION
        ]

    def question_count(self, quiz: QuizDefinition) -> int:
        """How many questions an attempt at the quiz holds."""
        available = len(self.drawable(quiz.category))
        return min(quiz.draw_count, available) if quiz.draw_count else available


def course_bank(course: Course) -> Bank:
    return published_or_built(course, ("bank",), lambda: _read_bank(course.id))


_QUIZ_COLUMNS = [getattr(Quiz, item.name) for item in fields(QuizDefinition)]


def _read_bank(course_id: int) -> Bank:
    quizzes = tuple(
        QuizDefinition(*row)
        for row in db.session.execute(
            select(*_QUIZ_COLUMNS).where(Quiz.course_id == course_id).order_by(Quiz.id)
        )
    )
    questions = db.session.execute(
        select(
            Question.id, Question.kind, Question.markup, Question.category, Question.ignore_accents
        )
        .where(Question.course_id == course_id)
        .order_by(Question.position, Question.id)
    ).all()
    options: dict[int, list[OptionDefinition]] = {row.id: [] for row in questions}
    for question_id, *option in db.session.execute(
        select(
            QuestionOption.question_id,
            QuestionOption.id,
            QuestionOption.position,
            QuestionOption.fraction,
            QuestionOption.low,
            QuestionOption.high,
        )
        .join(Question, Question.id == QuestionOption.question_id)
        .where(Question.course_id == course_id)
        .order_by(QuestionOption.question_id, QuestionOption.position)
    ):
        options[question_id].append(OptionDefinition(*option))
    words: dict[int, dict[str, Words]] = {row.id: {} for row in questions}
    for question_id, *texts in db.session.execute(
        select(
            QuestionTranslation.question_id,
            QuestionTranslation.locale,
            QuestionTranslation.text,
            QuestionTranslation.general_feedback,
            QuestionTranslation.options,
        )
        .join(Question, Question.id == QuestionTranslation.question_id)
        .where(Question.course_id == course_id)
    ):
        words[question_id][texts[0]] = Words(*texts)
    bank = {}
    for question_id, kind, markup, category, ignore_accents in questions:
        own = tuple(options[question_id])
        accepted = tuple(
            tuple(w.options[p]["text"] for w in words[question_id].values() if p < len(w.options))
            for p in range(len(own))
        )
        bank[question_id] = QuestionDefinition(
            question_id, kind, markup, category, ignore_accents, own, words[question_id], accepted
        )
    return Bank(quizzes, bank)
