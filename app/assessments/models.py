"""Question banks, quizzes, attempts and their answers.

A question's structure (kind, option weights, numeric ranges) is language-independent and
lives on Question and QuestionOption; its words live per locale in QuestionTranslation,
whose `options` list follows the options' positions.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.courses.models import KEY_MAX, TranslationColumns
from app.database import UTCDateTime, utcnow
from app.extensions import db

KINDS = (
    "single",
    "multiple",
    "truefalse",
    "short",
    "numerical",
    "matching",
    "essay",
    "description",
)
REVIEW_SCORE, REVIEW_ANSWERS = "score", "answers"
GRADING_BEST, GRADING_LAST = "best", "last"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("course_id", "key"),
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(KEY_MAX), index=True)
    # The GIFT question title: what matches a question across its language files.
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    markup: Mapped[str] = mapped_column(String(10), default="moodle")
    position: Mapped[int]
    ignore_accents: Mapped[bool] = mapped_column(default=False)
    source_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)

    options: Mapped[list["QuestionOption"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="QuestionOption.position"
    )
    translations: Mapped[list["QuestionTranslation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class QuestionOption(db.Model):
    """One answer, numeric range or matching pair of a question, without its words."""

    __tablename__ = "question_options"
    __table_args__ = (UniqueConstraint("question_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    position: Mapped[int]
    fraction: Mapped[float] = mapped_column(default=0.0)
    low: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    high: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))


class QuestionTranslation(TranslationColumns, db.Model):
    __tablename__ = "question_translations"
    __table_args__ = (UniqueConstraint("question_id", "locale"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    general_feedback: Mapped[str] = mapped_column(Text, default="")
    # One {"text", "feedback", "match"} per option, in option order.
    options: Mapped[list] = mapped_column(JSON, default=list)


class Quiz(db.Model):
    """A module's quiz (module_id set) or the course's final assessment (module_id null)."""

    __tablename__ = "quizzes"
    __table_args__ = (
        UniqueConstraint("course_id", "key"),
        CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark"),
        CheckConstraint("review IN ('score', 'answers')", name="review"),
        CheckConstraint("grading IN ('best', 'last')", name="grading"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    category: Mapped[str] = mapped_column(String(KEY_MAX))
    is_required: Mapped[bool] = mapped_column(default=True)
    pass_mark: Mapped[int] = mapped_column(default=70)
    max_attempts: Mapped[int | None]
    time_limit_minutes: Mapped[int | None]
    # How many questions to draw at random from the category; None: all, in bank order.
    draw_count: Mapped[int | None]
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    review: Mapped[str] = mapped_column(String(10), default=REVIEW_ANSWERS)
    grading: Mapped[str] = mapped_column(String(10), default=GRADING_BEST)
    revision: Mapped[int] = mapped_column(default=1)


class Attempt(db.Model):
    __tablename__ = "attempts"
    # Two tabs starting "attempt 2" at once collide here, so only one exists.
    __table_args__ = (UniqueConstraint("enrolment_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_late: Mapped[bool] = mapped_column(default=False)
    # [{"question": id, "options": [option ids in the order shown]}], fixed at the start.
    plan: Mapped[list] = mapped_column(JSON)
    score: Mapped[float | None]
    is_passed: Mapped[bool | None]
    is_awaiting_marking: Mapped[bool] = mapped_column(default=False)

    quiz = relationship("Quiz")
    answers: Mapped[list["AttemptAnswer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class AttemptAnswer(db.Model):
    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[dict] = mapped_column(JSON, default=dict)
    fraction: Mapped[float | None]
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marker_comment: Mapped[str | None] = mapped_column(Text)


class QuizResult(db.Model):
    """Where a learner stands on a quiz, by its grading rule: what course progress counts."""

    __tablename__ = "quiz_results"
    __table_args__ = (UniqueConstraint("enrolment_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    is_passed: Mapped[bool]
    attempts_used: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
