"""Taking quizzes: starting an attempt (its questions and option order fixed), saving and
submitting answers once, grading on the server, and keeping the learner's result."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.assessments import gift, grading
from app.assessments.definitions import Bank, QuestionDefinition, QuizDefinition, course_bank
from app.assessments.models import (
    GRADING_BEST,
    GRADING_LAST,
    Attempt,
    AttemptAnswer,
    Quiz,
    QuizResult,
)
from app.courses.models import Course
from app.database import insert_ignoring_conflicts, upsert, utcnow
from app.extensions import db
from app.i18n import pick_translation
from app.learning.models import Enrolment
from app.learning.services import refresh_progress

# A submission this late after the deadline still counts as on time (network delays).
GRACE = timedelta(seconds=30)
SHUFFLED_KINDS = {gift.SINGLE, gift.MULTIPLE, gift.MATCHING}


class QuizError(Exception):
    """Why a quiz action was refused; the view says it in the learner's language."""


class NoAttemptsLeft(QuizError):
    pass


class AlreadySubmitted(QuizError):
    pass


class InvalidAnswer(QuizError):
    pass


def course_quizzes(course_id: int) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(Quiz.course_id == course_id)))


def find_quiz(course_id: int, key: str) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.course_id == course_id, Quiz.key == key))


# An attempt with its enrolment and course. Built once: every attempt page asks it.
_ATTEMPT_WITH_COURSE = (
    select(Attempt, Enrolment, Course)
    .join(Enrolment, Enrolment.id == Attempt.enrolment_id)
    .join(Course, Course.id == Enrolment.course_id)
    .where(Attempt.id == bindparam("attempt_id"))
)


def find_attempt(attempt_id: int) -> tuple[Attempt, Enrolment, Course] | None:
    row = db.session.execute(_ATTEMPT_WITH_COURSE, {"attempt_id": attempt_id}).first()
    return tuple(row) if row is not None else None


_ATTEMPTS = (
    select(Attempt)
    .where(
        Attempt.enrolment_id == bindparam("enrolment_id"), Attempt.quiz_id == bindparam("quiz_id")
    )
    .order_by(Attempt.number)
)


def attempts_of(enrolment_id: int, quiz_id: int) -> list[Attempt]:
    params = {"enrolment_id": enrolment_id, "quiz_id": quiz_id}
    return list(db.session.scalars(_ATTEMPTS, params))


def open_attempt(attempts: list[Attempt]) -> Attempt | None:
    return next((attempt for attempt in attempts if attempt.submitted_at is None), None)


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """None when unlimited."""
    return None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)


# How many attempts the learner has made at a quiz, and the open one if any (there is at
# most one: starting returns it). Built once: every start asks it.
_ATTEMPTS_MADE = select(
    func.count(Attempt.id), func.max(case((Attempt.submitted_at.is_(None), Attempt.id)))
).where(Attempt.enrolment_id == bindparam("enrolment_id"), Attempt.quiz_id == bindparam("quiz_id"))


def start_attempt(
    enrolment: Enrolment, quiz: QuizDefinition, bank: Bank, rng: random.Random | None = None
) -> int:
    """The id of the learner's open attempt, or of a new one with its questions drawn and
    ordered."""
    used, open_id = db.session.execute(
        _ATTEMPTS_MADE, {"enrolment_id": enrolment.id, "quiz_id": quiz.id}
    ).one()
    if open_id is not None:
        return open_id
    if attempts_left(quiz, used) == 0:
        raise NoAttemptsLeft(quiz.key)
    now = utcnow()
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    values = {
        "quiz_id": quiz.id,
        "enrolment_id": enrolment.id,
        "number": used + 1,
        "started_at": now,
        "deadline_at": deadline,
        "plan": _plan(quiz, bank, rng or random.SystemRandom()),
        "is_late": False,
        "is_awaiting_marking": False,
    }
    # Two tabs starting the same attempt number: one insert wins, the other reads it.
    return insert_ignoring_conflicts(Attempt, **values) or db.session.scalar(
        select(Attempt.id).where(
            Attempt.enrolment_id == enrolment.id,
            Attempt.quiz_id == quiz.id,
            Attempt.number == values["number"],
        )
    )


def _plan(quiz: QuizDefinition, bank: Bank, rng: random.Random) -> list[dict]:
    questions = bank.drawable(quiz.category)
    if quiz.draw_count and quiz.draw_count < len(questions):
        chosen = set(rng.sample(range(len(questions)), quiz.draw_count))
        questions = [q for index, q in enumerate(questions) if index in chosen]
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    plan = []
    for question in questions:
        options = [option.id for option in question.options]
        matches = list(options)
        if quiz.shuffle_options and question.kind in SHUFFLED_KINDS:
            rng.shuffle(options)
            rng.shuffle(matches)
        plan.append({"question": question.id, "options": options, "matches": matches})
    return plan


def preview_questions(
    quiz: QuizDefinition, bank: Bank, locale: str, source_locale: str
) -> list["ShownQuestion"]:
    """What a new attempt would show, for an instructor's preview; nothing is stored."""
    plan = _plan(quiz, bank, random.SystemRandom())
    return shown_questions(Attempt(number=1, plan=plan), bank, locale, source_locale)


@dataclass
class ShownQuestion:
    """A question as the attempt shows it: words in the reader's language, options in the
    attempt's order, and nothing that reveals the right answer."""

    id: int
    kind: str
    markup: str
    text: str
    locale: str
    is_fallback: bool
    options: list[tuple[int, str]] = field(default_factory=list)  # (shown index, text)
    matches: list[tuple[int, str]] = field(default_factory=list)  # (shown index, right side)
    response: dict = field(default_factory=dict)
    fraction: float | None = None
    feedback: list[str] = field(default_factory=list)
    general_feedback: str = ""
    right_answers: list[str] = field(default_factory=list)


def shown_questions(
    attempt: Attempt, bank: Bank, locale: str, source_locale: str
) -> list[ShownQuestion]:
    """The attempt's questions in order, with saved responses (one query)."""
    saved = {}
    if attempt.id is not None:
        saved = {answer.question_id: answer for answer in attempt.answers}
    shown = []
    for entry in attempt.plan:
        question = bank.questions[entry["question"]]
        words, is_fallback = pick_translation(question.words, locale, source_locale)
        position = {option.id: option.position for option in question.options}
        texts = words.options
        item = ShownQuestion(
            question.id, question.kind, question.markup, words.text, words.locale, is_fallback
        )
        item.options = [(i, texts[position[oid]]["text"]) for i, oid in enumerate(entry["options"])]
        item.matches = [
            (i, texts[position[oid]]["match"]) for i, oid in enumerate(entry["matches"])
        ]
        answer = saved.get(question.id)
        if answer is not None:
            item.response = _shown_response(answer.response, entry)
            item.fraction = answer.fraction
        item.general_feedback = words.general_feedback
        item.feedback = _feedback(question, entry, answer, texts, position)
        item.right_answers = _right_answers(question, texts, position)
        shown.append(item)
    return shown


def _shown_response(response: dict, entry: dict) -> dict:
    """A stored response (option ids) as shown indexes, to fill the form again."""
    options, matches = entry["options"], entry["matches"]
    shown = dict(response)
    if "choice" in response and response["choice"] in options:
        shown["choice"] = options.index(response["choice"])
    if "choices" in response:
        shown["choices"] = [options.index(c) for c in response["choices"] if c in options]
    if "pairs" in response:
        shown["pairs"] = {
            str(options.index(int(left))): matches.index(right)
            for left, right in response["pairs"].items()
            if int(left) in options and right in matches
        }
    return shown


def _feedback(question, entry, answer, texts, position) -> list[str]:
    if answer is None:
        return []
    chosen = []
    if "choice" in answer.response:
        chosen = [answer.response["choice"]]
    chosen += answer.response.get("choices", [])
    return [
        texts[position[option_id]]["feedback"]
        for option_id in chosen
        if option_id in position and texts[position[option_id]]["feedback"]
    ]


def _right_answers(question, texts, position) -> list[str]:
    if question.kind == gift.MATCHING:
        return [f"{t['text']} → {t['match']}" for t in texts]
    if question.kind == gift.NUMERICAL:
        return [
            f"{option.low}" if option.low == option.high else f"{option.low} – {option.high}"
            for option in question.options
            if option.fraction == 1.0
        ]
    return [texts[option.position]["text"] for option in question.options if option.fraction > 0]


def read_responses(attempt: Attempt, bank: Bank, form) -> dict[int, dict]:
    """Responses from a submitted form, shown indexes turned into option ids.

    Anything that does not belong to this attempt (a forged option, a question not in the
    attempt) raises InvalidAnswer, and nothing is saved.
    """
    plan = {entry["question"]: entry for entry in attempt.plan}
    _reject_foreign_fields(form, plan)
    responses = {}
    for question_id, entry in plan.items():
        response = _read_one(bank.questions[question_id].kind, question_id, entry, form)
        if response:
            responses[question_id] = response
    return responses


def _reject_foreign_fields(form, plan) -> None:
    for name in form:
        if not name.startswith("q"):
            continue
        number = name[1:].split("_", 1)[0]
        if not number.isdigit() or int(number) not in plan:
            raise InvalidAnswer(name)


def _index(value: str, items: list) -> int:
    if not value.isdigit() or int(value) >= len(items):
        raise InvalidAnswer(value)
    return items[int(value)]


def _read_one(kind: str, question_id: int, entry: dict, form) -> dict | None:
    name = f"q{question_id}"
    options, matches = entry["options"], entry["matches"]
    if kind in (gift.SINGLE, gift.TRUE_FALSE):
        value = form.get(name, "")
        return {"choice": _index(value, options)} if value else None
    if kind == gift.MULTIPLE:
        chosen = sorted({_index(value, options) for value in form.getlist(name)})
        return {"choices": chosen} if chosen else None
    if kind == gift.MATCHING:
        pairs = {}
        for shown, left in enumerate(options):
            value = form.get(f"{name}_{shown}", "")
            if value:
                pairs[str(left)] = _index(value, matches)
        return {"pairs": pairs} if pairs else None
    text = form.get(name, "")
    if len(text) > 20_000:
        raise InvalidAnswer(name)
    return {"text": text} if text.strip() else None


def save_responses(attempt: Attempt, responses: dict[int, dict]) -> None:
    now = utcnow()
    existing = {answer.question_id: answer for answer in attempt.answers}
    new = []
    for question_id, response in responses.items():
        answer = existing.get(question_id)
        if answer is None:
            new.append({"attempt_id": attempt.id, "question_id": question_id,
                        "response": response, "saved_at": now})  # fmt: skip
        else:
            answer.response, answer.saved_at = response, now
    if new:
        # One statement for all new answers, rather than one per answer.
        db.session.execute(insert(AttemptAnswer), new)
        db.session.expire(attempt, ["answers"])


def is_late(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + GRACE


# Only the first submission of an attempt claims it (two tabs, a double click).
_CLAIM = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.submitted_at.is_(None))
    .values(submitted_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def submit_attempt(
    attempt: Attempt, quiz: QuizDefinition, bank: Bank, responses: dict[int, dict], locale: str
) -> bool:
    """Submit once and grade; returns False when the attempt was already submitted.

    After the deadline, only the answers saved in time are graded, and the attempt says so.
    """
    now = utcnow()
    claimed = db.session.execute(_CLAIM, {"attempt_id": attempt.id, "now": now}).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    set_committed_value(attempt, "submitted_at", now)
    if is_late(attempt, now):
        attempt.is_late = True
        responses = {}
    _grade(attempt, quiz, bank, locale, responses, now)
    return True


def grade_attempt(attempt: Attempt, locale: str) -> None:
    """Grade a submitted attempt again (after an essay is marked), and the learner's result."""
    quiz = db.session.get(Quiz, attempt.quiz_id)
    bank = course_bank(db.session.get(Course, quiz.course_id))
    _grade(attempt, bank.quiz_by_id(attempt.quiz_id), bank, locale, {}, utcnow())


def _grade(attempt, quiz: QuizDefinition, bank: Bank, locale: str, responses, now) -> None:
    """Grade every question of the attempt, answered now or saved before (an unanswered one
    counts as zero, and as an answer in the item statistics), then the attempt, then the
    learner's result on the quiz. New answers are written in one statement."""
    saved = {answer.question_id: answer for answer in attempt.answers}
    new = []
    total, awaiting = 0.0, False
    for entry in attempt.plan:
        question = bank.questions[entry["question"]]
        answer, response = saved.get(question.id), responses.get(question.id)
        if answer is None:
            fraction = _grade_answer(question, response, locale) if response else 0.0
            row = {"response": response or {}, "fraction": fraction, "saved_at": now}
            new.append({"attempt_id": attempt.id, "question_id": question.id, **row})
        else:
            if response is not None:
                answer.response, answer.saved_at = response, now
            # An essay keeps the mark its marker gave.
            if answer.fraction is None or question.kind != gift.ESSAY:
                answer.fraction = _grade_answer(question, answer.response, locale)
            fraction = answer.fraction
        awaiting |= fraction is None
        total += fraction or 0.0
    if new:
        db.session.execute(insert(AttemptAnswer), new)
        db.session.expire(attempt, ["answers"])
    attempt.is_awaiting_marking = awaiting
    attempt.score = round(100 * total / len(attempt.plan), 2) if attempt.plan else 100.0
    attempt.is_passed = None if awaiting else attempt.score >= quiz.pass_mark
    if not awaiting:
        _record_result(attempt, quiz, now)


@dataclass
class _Answer:
    text: str
    fraction: float


@dataclass
class _Gradable:
    kind: str
    answers: list = field(default_factory=list)
    numeric: list = field(default_factory=list)
    pairs: list = field(default_factory=list)


def _grade_answer(question: QuestionDefinition, response: dict, locale: str) -> float | None:
    options = question.options
    gradable = _Gradable(question.kind)
    ids = [option.id for option in options]
    if question.kind == gift.SHORT:
        gradable.answers = [
            _Answer(text, option.fraction)
            for option, texts in zip(options, question.accepted, strict=False)
            for text in texts
        ]
        return grading.grade(
            gradable, response, locale=locale, ignore_accents=question.ignore_accents
        )
    if question.kind == gift.NUMERICAL:
        gradable.numeric = [
            gift.NumericAnswer(option.low, option.high, option.fraction) for option in options
        ]
        return grading.grade(gradable, response, locale=locale)
    if question.kind == gift.MATCHING:
        gradable.pairs = [(str(option_id), str(option_id)) for option_id in ids]
        pairs = {
            str(ids.index(int(left))): str(right)
            for left, right in response.get("pairs", {}).items()
            if int(left) in ids
        }
        return grading.grade(gradable, {"pairs": pairs})
    gradable.answers = [_Answer("", option.fraction) for option in options]
    indexed = {}
    if "choice" in response and response["choice"] in ids:
        indexed["choice"] = ids.index(response["choice"])
    if "choices" in response:
        indexed["choices"] = [ids.index(c) for c in response["choices"] if c in ids]
    if "text" in response:
        indexed["text"] = response["text"]
    return grading.grade(gradable, indexed, locale=locale)


def _standing_query(order):
    graded = (
        Attempt.enrolment_id == bindparam("enrolment_id"),
        Attempt.quiz_id == bindparam("quiz_id"),
        Attempt.submitted_at.is_not(None),
        Attempt.score.is_not(None),
        Attempt.is_awaiting_marking.is_(False),
    )
    # The counting window sees every graded attempt: it is computed before the LIMIT.
    counted = func.count(Attempt.id).over()
    return select(Attempt.score, Attempt.is_passed, counted).where(*graded).order_by(*order)


# The attempt that counts, and how many were graded, by the quiz's rule: the best score (the
# earliest attempt that reached it), or the last attempt. Built once: every submission asks.
_STANDING = {
    GRADING_BEST: _standing_query((Attempt.score.desc(), Attempt.number)).limit(1),
    GRADING_LAST: _standing_query((Attempt.number.desc(),)).limit(1),
}


def _record_result(attempt: Attempt, quiz: QuizDefinition, now) -> None:
    """Keep the learner's standing on the quiz by its rule (best or last), then progress."""
    enrolment = db.session.get(Enrolment, attempt.enrolment_id)
    score, is_passed, used = db.session.execute(
        _STANDING[quiz.grading], {"enrolment_id": enrolment.id, "quiz_id": quiz.id}
    ).one()
    upsert(
        QuizResult,
        ("enrolment_id", "quiz_id"),
        enrolment_id=enrolment.id,
        quiz_id=quiz.id,
        score=score,
        is_passed=bool(is_passed),
        attempts_used=used,
        updated_at=now,
    )
    refresh_progress(enrolment, active_at=now)


def quiz_results(enrolment_id: int) -> dict[int, QuizResult]:
    query = select(QuizResult).where(QuizResult.enrolment_id == enrolment_id)
    return {result.quiz_id: result for result in db.session.scalars(query)}
