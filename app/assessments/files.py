"""Quiz settings from a course manifest and question banks from GIFT files, validated.

A course's banks are `questions/<language>.gift`; questions are matched across languages
by their GIFT title, and a translation must have the same structure as the source.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from app.assessments import gift
from app.assessments.models import (
    GRADING_BEST,
    GRADING_LAST,
    REVIEW_ANSWERS,
    REVIEW_SCORE,
    Question,
)
from app.i18n import LOCALES

QUESTIONS_DIR = "questions"
MAX_BANK_BYTES = 1_000_000
QUIZ_KEYS = {
    "required", "pass_mark", "draw", "max_attempts", "time_limit", "shuffle", "review", "grading",
}  # fmt: skip
FINAL = "final"

Report = Callable[[Path, int | None, str], None]


@dataclass
class QuizSource:
    key: str
    category: str
    required: bool = True
    pass_mark: int = 70
    draw: int | None = None
    max_attempts: int | None = None
    time_limit: int | None = None
    shuffle: bool = True
    review: str = REVIEW_ANSWERS
    grading: str = GRADING_BEST


@dataclass
class QuestionSource:
    key: str
    category: str
    kind: str
    markup: str
    options: list[dict]
    texts: dict[str, dict] = field(default_factory=dict)
    ignore_accents: bool = False


def read_quiz(value, key: str, path: Path, line: int, report: Report) -> QuizSource | None:
    """The settings of a module's quiz or of the final assessment."""
    if value is True or value == {}:
        value = {}
    if not isinstance(value, dict):
        report(path, line, _("A quiz's settings must be a mapping, like pass_mark: 70."))
        return None
    for name in value:
        if name not in QUIZ_KEYS:
            report(path, line, _("Unknown key “%(key)s”.", key=name))
    quiz = QuizSource(key=key, category=key)
    checks = {
        "required": (bool, None),
        "shuffle": (bool, None),
        "pass_mark": (int, range(0, 101)),
        "draw": (int, range(1, 1001)),
        "max_attempts": (int, range(1, 101)),
        "time_limit": (int, range(1, 24 * 60 + 1)),
    }
    for name, (kind, allowed) in checks.items():
        if name not in value:
            continue
        given = value[name]
        if type(given) is not kind or (allowed is not None and given not in allowed):
            report(path, line, _("“%(key)s” has a value that is not allowed.", key=name))
        else:
            setattr(quiz, name, given)
    for name, allowed in (
        ("review", (REVIEW_SCORE, REVIEW_ANSWERS)),
        ("grading", (GRADING_BEST, GRADING_LAST)),
    ):
        if name in value and value[name] not in allowed:
            report(
                path,
                line,
                _("“%(key)s” must be one of: %(values)s.", key=name, values=", ".join(allowed)),
            )
        elif name in value:
            setattr(quiz, name, value[name])
    return quiz


def read_banks(folder: Path, source_locale: str, report: Report) -> list[QuestionSource]:
    """Every question of the course's GIFT banks, or nothing if any file has a problem."""
    directory = folder / QUESTIONS_DIR
    if not directory.is_dir():
        return []
    parsed: dict[str, tuple[Path, list[gift.Question]]] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix != ".gift" or path.stem not in LOCALES:
            report(path, None, _("Question banks are named after a language, like en.gift."))
            continue
        questions = _parse_bank(path, report)
        if questions is not None:
            parsed[path.stem] = (path, questions)
    if source_locale not in parsed:
        if parsed:
            report(
                directory / f"{source_locale}.gift",
                None,
                _("The bank in the source language is missing."),
            )
        return []
    source_path, source_questions = parsed.pop(source_locale)
    questions = _source_questions(source_path, source_questions, source_locale, report)
    by_key = {question.key: question for question in questions}
    for locale, (path, translated) in parsed.items():
        _add_translation(by_key, locale, path, translated, report)
    return questions


def _parse_bank(path: Path, report: Report) -> list[gift.Question] | None:
    if path.stat().st_size > MAX_BANK_BYTES:
        report(path, None, _("This question bank is too large (over 1 MB)."))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report(path, None, _("This file is not UTF-8 text."))
        return None
    questions, problems = gift.parse_gift(text)
    for problem in problems:
        report(path, problem.line, problem.message)
    return None if problems else questions


def _structure(question: gift.Question) -> list[dict]:
    if question.kind == gift.NUMERICAL:
        return [{"fraction": a.fraction, "low": a.low, "high": a.high} for a in question.numeric]
    if question.kind == gift.MATCHING:
        return [{"fraction": 0.0, "low": None, "high": None} for _pair in question.pairs]
    return [{"fraction": a.fraction, "low": None, "high": None} for a in question.answers]


def _words(question: gift.Question) -> dict:
    if question.kind == gift.NUMERICAL:
        options = [{"text": "", "feedback": a.feedback, "match": ""} for a in question.numeric]
    elif question.kind == gift.MATCHING:
        options = [{"text": left, "feedback": "", "match": right} for left, right in question.pairs]
    else:
        options = [{"text": a.text, "feedback": a.feedback, "match": ""} for a in question.answers]
    return {
        "text": question.text,
        "general_feedback": question.general_feedback,
        "options": options,
    }


def _source_questions(path, parsed, locale, report) -> list[QuestionSource]:
    questions, seen = [], set()
    for question in parsed:
        if not question.title:
            report(
                path,
                question.line,
                _("Each question needs a title, like ::q1::, to match its translations."),
            )
            continue
        if question.title in seen:
            report(path, question.line, _("The key “%(key)s” is used twice.", key=question.title))
            continue
        seen.add(question.title)
        source = QuestionSource(
            question.title,
            question.category or FINAL,
            question.kind,
            question.markup,
            _structure(question),
        )
        source.texts[locale] = _words(question)
        source.ignore_accents = question.ignore_accents
        questions.append(source)
    return questions


def _add_translation(by_key, locale, path, translated, report) -> None:
    for question in translated:
        source = by_key.get(question.title)
        if source is None:
            report(path, question.line, _("No question of the source bank has this title."))
        elif question.kind != source.kind or _structure(question) != source.options:
            report(
                path,
                question.line,
                _("This translation does not have the same answers as the source question."),
            )
        else:
            source.texts[locale] = _words(question)


def source_question(question: Question) -> QuestionSource:
    """A stored question as the importer would read it from the banks."""
    source = QuestionSource(
        question.key,
        question.category,
        question.kind,
        question.markup,
        [{"fraction": o.fraction, "low": o.low, "high": o.high} for o in question.options],
        ignore_accents=question.ignore_accents,
    )
    for row in sorted(question.translations, key=lambda row: row.locale):
        source.texts[row.locale] = {
            "text": row.text,
            "general_feedback": row.general_feedback,
            "options": row.options,
        }
    return source


def as_gift(question: QuestionSource, locale: str) -> gift.Question:
    """A question in one language, ready for the GIFT exporter."""
    words = question.texts[locale]
    parsed = gift.Question(
        question.kind, words["text"], question.key, question.category, question.markup,
        general_feedback=words["general_feedback"], ignore_accents=question.ignore_accents,
    )  # fmt: skip
    pairs = list(zip(question.options, words["options"], strict=True))
    if question.kind == gift.NUMERICAL:
        parsed.numeric = [
            gift.NumericAnswer(shape["low"], shape["high"], shape["fraction"], text["feedback"])
            for shape, text in pairs
        ]
    elif question.kind == gift.MATCHING:
        parsed.pairs = [(text["text"], text["match"]) for _shape, text in pairs]
    else:
        parsed.answers = [
            gift.Answer(text["text"], shape["fraction"], text["feedback"]) for shape, text in pairs
        ]
    return parsed


def check_quizzes(
    quizzes: list[QuizSource], questions: list[QuestionSource], path: Path, report: Report
) -> None:
    """Each quiz draws from a category that has enough questions."""
    counts: dict[str, int] = {}
    for question in questions:
        if question.kind != gift.DESCRIPTION:
            counts[question.category] = counts.get(question.category, 0) + 1
    for quiz in quizzes:
        available = counts.get(quiz.category, 0)
        if available == 0:
            report(
                path,
                None,
                _(
                    "The quiz “%(key)s” has no questions: add a $CATEGORY: %(key)s to the bank.",
                    key=quiz.key,
                ),
            )
        elif quiz.draw and quiz.draw > available:
            report(
                path,
                None,
                _(
                    "The quiz “%(key)s” draws %(draw)d questions but its category has %(count)d.",
                    key=quiz.key,
                    draw=quiz.draw,
                    count=available,
                ),
            )
