"""An instructor's GIFT upload into a course's question bank: preview, then import.

Questions are matched by their GIFT title. In the course's source language they are added
or updated; in another language they must already exist with the same answers.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments import gift
from app.assessments.files import MAX_BANK_BYTES, _structure, _words, as_gift, source_question
from app.assessments.models import Question, QuestionOption, QuestionTranslation
from app.courses.models import Course
from app.database import assign
from app.extensions import db

IMPORTED_CATEGORY = "imported"


@dataclass
class BankPreview:
    questions: list[gift.Question]
    problems: list[gift.GiftProblem]


def _existing(course: Course) -> dict[str, Question]:
    query = select(Question).where(Question.course_id == course.id)
    return {question.key: question for question in db.session.scalars(query)}


def _stored_structure(question: Question) -> list[dict]:
    return [{"fraction": o.fraction, "low": o.low, "high": o.high} for o in question.options]


def preview_bank(course: Course, locale: str, data: bytes) -> BankPreview:
    """What an upload would import, and every problem with its line; changes nothing."""
    if len(data) > MAX_BANK_BYTES:
        return BankPreview(
            [], [gift.GiftProblem(0, _("This question bank is too large (over 1 MB)."))]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return BankPreview([], [gift.GiftProblem(0, _("This file is not UTF-8 text."))])
    questions, problems = gift.parse_gift(text)
    existing = _existing(course)
    seen: set[str] = set()
    for question in questions:
        if not question.title:
            problems.append(
                gift.GiftProblem(
                    question.line,
                    _("Each question needs a title, like ::q1::, to match its translations."),
                )
            )
        elif question.title in seen:
            problems.append(
                gift.GiftProblem(
                    question.line, _("The key “%(key)s” is used twice.", key=question.title)
                )
            )
        elif locale != course.source_locale:
            source = existing.get(question.title)
            if source is None:
                problems.append(
                    gift.GiftProblem(
                        question.line, _("No question of the source bank has this title.")
                    )
                )
            elif source.kind != question.kind or _structure(question) != _stored_structure(source):
                problems.append(
                    gift.GiftProblem(
                        question.line,
                        _(
                            "This translation does not have the same answers "
                            "as the source question."
                        ),
                    )
                )
        seen.add(question.title)
    if not questions and not problems:
        problems.append(gift.GiftProblem(0, _("This file holds no question.")))
    return BankPreview(questions, sorted(problems, key=lambda problem: problem.line))


def import_bank(course: Course, locale: str, questions: list[gift.Question]) -> int:
    """Add or update the previewed questions; returns how many were written."""
    existing = _existing(course)
    position = max((q.position for q in existing.values()), default=-1) + 1
    for parsed in questions:
        question = existing.get(parsed.title)
        if question is None:
            question = Question(
                course_id=course.id, key=parsed.title, position=position, source_version=1
            )
            db.session.add(question)
            position += 1
        if locale == course.source_locale:
            question.category = parsed.category or IMPORTED_CATEGORY
            question.kind, question.markup = parsed.kind, parsed.markup
            question.ignore_accents = parsed.ignore_accents
            sync_options(question, _structure(parsed))
        _set_words(question, locale, _words(parsed), is_source=locale == course.source_locale)
    db.session.flush()
    return len(questions)


def sync_options(question: Question, options: list[dict]) -> bool:
    """Options keep their ids (attempts refer to them); only their weights change."""
    changed = False
    for position, values in enumerate(options):
        if position < len(question.options):
            changed |= assign(question.options[position], **values)
        else:
            question.options.append(QuestionOption(position=position, **values))
            changed = True
    while len(question.options) > len(options):
        question.options.pop()
        changed = True
    return changed


def _set_words(question: Question, locale: str, words: dict, is_source: bool) -> None:
    row = next((row for row in question.translations if row.locale == locale), None)
    if row is None:
        question.translations.append(
            QuestionTranslation(locale=locale, source_version=question.source_version, **words)
        )
        return
    if assign(row, **words):
        if is_source:
            question.source_version += 1
        row.source_version = question.source_version


def bank_as_gift(course: Course, locale: str) -> list[gift.Question]:
    """The course's bank in one language, falling back to the source (for export)."""
    query = select(Question).where(Question.course_id == course.id).order_by(Question.position)
    exported = []
    for question in db.session.scalars(query):
        source = source_question(question)
        words = locale if locale in source.texts else course.source_locale
        if words in source.texts:
            exported.append(as_gift(source, words))
    return exported
