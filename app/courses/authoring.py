"""Instructors edit a course's draft; publishing applies it to what learners see.

Every authoring page works on the draft (`Course.is_draft`), made from the published course
the first time someone edits it. Each save names the revision it was based on and is refused
if someone else saved since, so no edit is lost silently. Publishing runs the draft through
the same importer as the course files, so learners keep their progress on every lesson and
quiz whose key still exists.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import PurePosixPath
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Role, User
from app.assessments import gift
from app.assessments.banks import import_bank
from app.assessments.files import FINAL, as_gift, source_question
from app.assessments.models import (
    Attempt,
    AttemptAnswer,
    Question,
    QuestionTranslation,
    Quiz,
    QuizResult,
)
from app.courses.exporter import course_source
from app.courses.files import MEDIA_TYPES
from app.courses.importer import (
    copy_translation_state,
    find_course,
    import_course,
    source_snapshot,
)
from app.courses.models import (
    KEY_MAX,
    Course,
    CourseMedia,
    CourseTranslation,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from app.database import assign, utcnow
from app.extensions import db
from app.learning.models import Enrolment, LessonProgress
from app.markdown import MEDIA_PREFIX, check_markdown, render_markdown
from app.storage import media_url, save_media

MAX_LESSON_CHARS = 100_000


class EditConflict(Exception):
    """Someone saved this item after the editor opened it."""


class AuthoringError(Exception):
    """An edit that cannot be made, with a message for the instructor."""


# Drafts ---------------------------------------------------------------------------------


def make_draft(live: Course) -> Course:
    """The working copy of a published course, the first time someone edits it."""
    import_course(course_source(live, published=live.is_published), draft=True)
    draft = find_course(live.slug, draft=True)
    copy_translation_state(live, draft)
    draft.instructors = list(live.instructors)
    draft.published_at = live.updated_at
    db.session.flush()
    return draft


def courses_taught_by(user) -> list[Course]:
    """The courses a user may edit (every course for an admin), one row per slug: the draft
    where there is one, else the published course."""
    query = select(Course).order_by(Course.slug, Course.is_draft.desc())
    if user.role != Role.ADMIN.value:
        query = query.where(Course.instructors.any(User.id == user.id))
    rows, seen = [], set()
    for course in db.session.scalars(query):
        if course.slug not in seen:
            seen.add(course.slug)
            rows.append(course)
    return rows


def has_unpublished_changes(draft: Course, live: Course | None) -> bool:
    if live is None:
        return True
    return bool(
        draft.edited_at and (not draft.published_at or draft.edited_at > draft.published_at)
    )


def touch(draft: Course) -> None:
    draft.edited_at = utcnow()


def claim(item, revision: int) -> None:
    """Move `item` to its next revision, if it is still at `revision`; else EditConflict.

    One conditional UPDATE, so of two saves based on the same revision exactly one wins.
    """
    model = type(item)
    result = db.session.execute(
        update(model)
        .where(model.id == item.id, model.revision == revision)
        .values(revision=revision + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(item)
        raise EditConflict
    set_committed_value(item, "revision", revision + 1)


def source_row(owner, locale: str):
    return next((row for row in owner.translations if row.locale == locale), None)


def set_source_texts(owner, row_class, locale: str, values: dict) -> None:
    """Change an object's texts in the source language; translations become out of date."""
    row = source_row(owner, locale)
    if row is None:
        owner.translations.append(
            row_class(locale=locale, source_version=owner.source_version, **values)
        )
        return
    if any(getattr(row, name) != value for name, value in source_snapshot(values).items()):
        owner.source_version += 1
        row.source_version = owner.source_version
    assign(row, **values)


# Keys -------------------------------------------------------------------------------------


def make_key(title: str, taken: set[str], fallback: str) -> str:
    """A file-friendly key from a title ("Données ouvertes" → "donnees-ouvertes"), unique
    among `taken`; a title in another script gives `fallback-1`, `fallback-2`…"""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[: KEY_MAX - 8].strip("-")
    if base:
        candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    else:
        candidates = (f"{fallback}-{n}" for n in count(1))
    return next(key for key in candidates if key not in taken)


def slug_is_free(slug: str) -> bool:
    return db.session.scalar(select(func.count()).where(Course.slug == slug)) == 0


# Course -----------------------------------------------------------------------------------


def create_course(user, slug: str, source_locale: str, values: dict) -> Course:
    if not slug_is_free(slug):
        raise AuthoringError(_("A course with this short name exists already."))
    draft = Course(
        slug=slug,
        is_draft=True,
        source_locale=source_locale,
        level=values["level"],
        estimated_hours=values["estimated_hours"],
        source_version=1,
        edited_at=utcnow(),
    )
    draft.translations.append(
        CourseTranslation(locale=source_locale, title=values["title"], summary=values["summary"])
    )
    draft.instructors = [user]
    db.session.add(draft)
    db.session.flush()
    return draft


def update_course(draft: Course, revision: int, values: dict) -> None:
    claim(draft, revision)
    assign(draft, level=values["level"], estimated_hours=values["estimated_hours"])
    set_source_texts(
        draft,
        CourseTranslation,
        draft.source_locale,
        {"title": values["title"], "summary": values["summary"]},
    )
    touch(draft)


def add_instructor(draft: Course, email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        raise AuthoringError(_("No account uses this email address."))
    if user.role not in (Role.INSTRUCTOR.value, Role.ADMIN.value):
        raise AuthoringError(_("Only instructor accounts can teach a course."))
    for course in filter(None, [draft, find_course(draft.slug)]):
        if user not in course.instructors:
            course.instructors.append(user)
    return user


def add_media(draft: Course, filename: str, data: bytes) -> str:
    """Add an image to the course; returns the name lessons use for it (media/<name>)."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise AuthoringError(_("Images must be PNG, JPEG, WebP or GIF files."))
    if not _looks_like_image(data, suffix):
        raise AuthoringError(_("This file is not a PNG, JPEG, WebP or GIF image."))
    stem = make_key(PurePosixPath(filename).stem, set(), "image")
    taken = {item.name for item in draft.media}
    name = make_key(stem, {PurePosixPath(n).stem for n in taken}, "image") + suffix
    draft.media.append(CourseMedia(name=name, stored_name=save_media(data, suffix)))
    touch(draft)
    return name


_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}


def _looks_like_image(data: bytes, suffix: str) -> bool:
    if suffix == ".webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return data.startswith(_SIGNATURES[suffix])


# Modules and lessons ----------------------------------------------------------------------


def find_module(draft: Course, module_id: int) -> Module | None:
    return db.session.scalar(
        select(Module).where(Module.id == module_id, Module.course_id == draft.id)
    )


def find_lesson(draft: Course, lesson_id: int) -> Lesson | None:
    return db.session.scalar(
        select(Lesson).where(Lesson.id == lesson_id, Lesson.course_id == draft.id)
    )


def add_module(draft: Course, title: str) -> Module:
    taken = {module.key for module in draft.modules}
    module = Module(
        key=make_key(title, taken, "module"), position=len(draft.modules), source_version=1
    )
    module.translations.append(ModuleTranslation(locale=draft.source_locale, title=title))
    draft.modules.append(module)
    touch(draft)
    db.session.flush()
    return module


def rename_module(draft: Course, module: Module, revision: int, title: str) -> None:
    claim(module, revision)
    set_source_texts(module, ModuleTranslation, draft.source_locale, {"title": title})
    touch(draft)


def move(draft: Course, item, siblings: list, step: int) -> None:
    """Swap an item with its neighbour (step -1: up, +1: down); nothing at either end."""
    index = siblings.index(item)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        touch(draft)


def lessons_of(module: Module) -> list[Lesson]:
    return sorted(module.lessons, key=lambda lesson: lesson.position)


def media_urls(draft: Course) -> dict[str, str]:
    return {item.name: media_url(item.stored_name) for item in draft.media}


def check_lesson(draft: Course, title: str, body: str) -> list[str]:
    """Problems with a lesson text, each with its line, in the words of the course files."""
    problems = [
        _("Line %(line)d: %(message)s", line=problem.line, message=problem.message)
        for problem in check_markdown(body)
    ]
    names = media_urls(draft)
    for target in re.findall(r"!\[[^\]]*\]\(\s*<?(media/[^)\s>]+)", body):
        if target.removeprefix(MEDIA_PREFIX) not in names:
            problems.append(_("The image %(name)s is missing.", name=target))
    if not body.strip():
        problems.append(_("This lesson has a title but no text."))
    if not title.strip():
        problems.append(_("This field is required."))
    return problems


def lesson_texts(draft: Course, title: str, body: str) -> dict:
    body = body.strip().replace("\r\n", "\n")
    return {
        "title": title.strip(),
        "body_markdown": body,
        "body_html": render_markdown(body, media_urls(draft)),
    }


def add_lesson(draft: Course, module: Module, title: str, body: str) -> Lesson:
    problems = check_lesson(draft, title, body)
    if problems:
        raise AuthoringError(" ".join(problems))
    taken = set(db.session.scalars(select(Lesson.key).where(Lesson.course_id == draft.id)))
    lesson = Lesson(
        key=make_key(title, taken, "lesson"),
        course=draft,
        module=module,
        position=len(module.lessons),
        source_version=1,
    )
    lesson.translations.append(
        LessonTranslation(locale=draft.source_locale, **lesson_texts(draft, title, body))
    )
    db.session.add(lesson)
    touch(draft)
    db.session.flush()
    return lesson


def update_lesson(draft: Course, lesson: Lesson, revision: int, values: dict) -> None:
    """Save a lesson's source text, whether it is required, and which module it is in."""
    module = find_module(draft, values["module_id"])
    if module is None:
        # A forged or stale id: never move a lesson into another course's module.
        raise AuthoringError(_("That module is not part of this course."))
    problems = check_lesson(draft, values["title"], values["body"])
    if problems:
        raise AuthoringError(" ".join(problems))
    claim(lesson, revision)
    if module.id != lesson.module_id:
        old_siblings = [item for item in lessons_of(lesson.module) if item is not lesson]
        for position, sibling in enumerate(old_siblings):
            sibling.position = position
        lesson.module = module
        lesson.position = len(lessons_of(module))
    lesson.is_required = values["is_required"]
    set_source_texts(
        lesson,
        LessonTranslation,
        draft.source_locale,
        lesson_texts(draft, values["title"], values["body"]),
    )
    touch(draft)


@dataclass
class OutlineModule:
    module: Module
    lessons: list[Lesson]
    quiz: Quiz | None
    question_count: int


@dataclass
class Outline:
    modules: list[OutlineModule]
    final: Quiz | None
    final_count: int


def modules_with_texts(draft: Course) -> list[Module]:
    return list(
        db.session.scalars(
            select(Module)
            .where(Module.course_id == draft.id)
            .options(selectinload(Module.translations))
            .order_by(Module.position)
        )
    )


def lessons_with_texts(draft: Course) -> list[Lesson]:
    return list(
        db.session.scalars(
            select(Lesson)
            .where(Lesson.course_id == draft.id)
            .options(selectinload(Lesson.translations))
            .order_by(Lesson.position)
        )
    )


def outline(draft: Course) -> Outline:
    """The draft's modules, lessons and quizzes in order, in a fixed number of queries."""
    lessons: dict[int, list[Lesson]] = {}
    for lesson in lessons_with_texts(draft):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    quizzes = {
        quiz.key: quiz
        for quiz in db.session.scalars(select(Quiz).where(Quiz.course_id == draft.id))
    }
    counts = dict(
        db.session.execute(
            select(Question.category, func.count())
            .where(Question.course_id == draft.id, Question.kind != gift.DESCRIPTION)
            .group_by(Question.category)
        ).all()
    )
    modules = [
        OutlineModule(
            module,
            lessons.get(module.id, []),
            quizzes.get(module.key),
            counts.get(module.key, 0),
        )
        for module in modules_with_texts(draft)
    ]
    return Outline(modules, quizzes.get(FINAL), counts.get(FINAL, 0))


# What deleting loses ----------------------------------------------------------------------


@dataclass
class Impact:
    """What learners of the published course would lose if this item is deleted."""

    lessons_done: int = 0
    learners: int = 0
    attempts: int = 0

    @property
    def loses_progress(self) -> bool:
        return bool(self.lessons_done or self.attempts)


def deletion_impact(draft: Course, lesson_keys: list[str], quiz_keys: list[str]) -> Impact:
    live = find_course(draft.slug)
    if live is None:
        return Impact()
    lessons = select(Lesson.id).where(Lesson.course_id == live.id, Lesson.key.in_(lesson_keys))
    done = select(LessonProgress.enrolment_id).where(LessonProgress.lesson_id.in_(lessons))
    quizzes = select(Quiz.id).where(Quiz.course_id == live.id, Quiz.key.in_(quiz_keys))
    tried = select(Attempt.enrolment_id).where(Attempt.quiz_id.in_(quizzes))
    learners = select(Enrolment.id).where(Enrolment.id.in_(done.union(tried).subquery().select()))
    return Impact(
        lessons_done=db.session.scalar(select(func.count()).select_from(done.subquery())),
        attempts=db.session.scalar(select(func.count()).select_from(tried.subquery())),
        learners=db.session.scalar(select(func.count()).select_from(learners.subquery())),
    )


def module_impact(draft: Course, module: Module) -> Impact:
    return deletion_impact(draft, [lesson.key for lesson in module.lessons], [module.key])


def delete_module(draft: Course, module: Module) -> None:
    draft.modules.remove(module)
    db.session.delete(module)
    for position, other in enumerate(draft.modules):
        other.position = position
    touch(draft)


def delete_lesson(draft: Course, lesson: Lesson) -> None:
    module = lesson.module
    db.session.delete(lesson)
    for position, other in enumerate(item for item in lessons_of(module) if item is not lesson):
        other.position = position
    touch(draft)


# Quizzes and questions --------------------------------------------------------------------


def find_quiz(draft: Course, module: Module | None) -> Quiz | None:
    key = module.key if module else FINAL
    return db.session.scalar(select(Quiz).where(Quiz.course_id == draft.id, Quiz.key == key))


def save_quiz(draft: Course, module: Module | None, revision: int | None, values: dict) -> Quiz:
    quiz = find_quiz(draft, module)
    if quiz is None:
        key = module.key if module else FINAL
        quiz = Quiz(course_id=draft.id, key=key, category=key, module_id=module and module.id)
        db.session.add(quiz)
    else:
        claim(quiz, revision or 0)
    assign(
        quiz,
        is_required=values["is_required"],
        pass_mark=values["pass_mark"],
        max_attempts=values["max_attempts"],
        time_limit_minutes=values["time_limit"],
        draw_count=values["draw"],
        shuffle_questions=values["shuffle"],
        shuffle_options=values["shuffle"],
        review=values["review"],
        grading=values["grading"],
    )
    touch(draft)
    db.session.flush()
    return quiz


def quiz_questions(draft: Course, category: str) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.course_id == draft.id, Question.category == category)
            .order_by(Question.position)
        )
    )


def delete_quiz(draft: Course, quiz: Quiz) -> None:
    """The quiz goes; its questions go with it, as they exist only to be drawn by it."""
    for question in quiz_questions(draft, quiz.category):
        db.session.delete(question)
    db.session.delete(quiz)
    touch(draft)


def find_question(draft: Course, question_id: int) -> Question | None:
    return db.session.scalar(
        select(Question).where(Question.id == question_id, Question.course_id == draft.id)
    )


def question_as_gift(draft: Course, question: Question) -> gift.Question:
    return as_gift(source_question(question), draft.source_locale)


def normalised(question: gift.Question) -> tuple[gift.Question, list[str]]:
    """A question made in a form, checked by the rules of the GIFT format and shaped exactly
    as the same question read from a bank."""
    question.title = question.title or "q"
    parsed, problems = gift.parse_gift(gift.export_gift([question]))
    if problems or len(parsed) != 1:
        return question, [problem.message for problem in problems]
    return parsed[0], []


def check_question(question: gift.Question) -> list[str]:
    return normalised(question)[1]


def save_question(
    draft: Course, category: str, parsed: gift.Question, question: Question | None = None,
    revision: int | None = None,
) -> tuple[Question, int]:  # fmt: skip
    """Create or update a question in the source language; returns it and how many
    translations were removed because its answers changed shape."""
    parsed, problems = normalised(parsed)
    if problems:
        raise AuthoringError(" ".join(problems))
    removed = 0
    if question is None:
        taken = set(db.session.scalars(select(Question.key).where(Question.course_id == draft.id)))
        parsed.title = next(f"q{n}" for n in range(1, len(taken) + 2) if f"q{n}" not in taken)
    else:
        claim(question, revision)
        parsed.title = question.key
        if len(question.options) != _option_count(parsed) or question.kind != parsed.kind:
            for row in list(question.translations):
                if row.locale != draft.source_locale:
                    question.translations.remove(row)
                    removed += 1
    parsed.category = category
    import_bank(draft, draft.source_locale, [parsed])
    touch(draft)
    saved = db.session.scalar(
        select(Question).where(Question.course_id == draft.id, Question.key == parsed.title)
    )
    return saved, removed


def _option_count(parsed: gift.Question) -> int:
    if parsed.kind == gift.NUMERICAL:
        return len(parsed.numeric)
    if parsed.kind == gift.MATCHING:
        return len(parsed.pairs)
    return len(parsed.answers)


KINDS = {
    gift.SINGLE: _l("Multiple choice, one right answer"),
    gift.MULTIPLE: _l("Multiple choice, several right answers"),
    gift.TRUE_FALSE: _l("True or false"),
    gift.SHORT: _l("Short answer"),
    gift.NUMERICAL: _l("Number"),
    gift.MATCHING: _l("Matching pairs"),
    gift.ESSAY: _l("Essay, marked by an instructor"),
    gift.DESCRIPTION: _l("Text between questions, not marked"),
}


def question_from_form(
    kind: str, data: dict, previous: gift.Question | None = None
) -> gift.Question:
    """A question from the rows of the question form, read as its kind uses them.

    The form shows credits as whole percentages; a row whose credit is unchanged keeps the
    exact weight it had (a third stays 33.33333 %, not 33 %).
    """
    question = gift.Question(kind, data["text"], general_feedback=data["general_feedback"] or "")
    rows = data["answers"]
    before = [a.fraction for a in (previous.numeric or previous.answers)] if previous else []

    def fraction(row, default):
        if row["grade"] is None:
            return default
        index = rows.index(row)
        if index < len(before) and round(before[index] * 100) == row["grade"]:
            return before[index]
        return row["grade"] / 100

    if kind == gift.TRUE_FALSE:
        is_true = data["truth"] == "true"
        question.answers = [
            gift.Answer("true", 1.0 if is_true else 0.0, data["true_feedback"] or ""),
            gift.Answer("false", 0.0 if is_true else 1.0, data["false_feedback"] or ""),
        ]
    elif kind == gift.NUMERICAL:
        question.numeric = [
            gift.NumericAnswer(
                row["number"] - (row["tolerance"] or 0),
                row["number"] + (row["tolerance"] or 0),
                fraction(row, 1.0),
                row["feedback"] or "",
            )
            for row in rows
            if row["number"] is not None
        ]
    elif kind == gift.MATCHING:
        question.pairs = [
            (row["text"], row["match"]) for row in rows if row["text"] or row["match"]
        ]
    elif kind in (gift.SINGLE, gift.MULTIPLE, gift.SHORT):
        default = 1.0 if kind == gift.SHORT else 0.0
        question.answers = [
            gift.Answer(row["text"], fraction(row, default), row["feedback"] or "")
            for row in rows
            if row["text"]
        ]
        question.ignore_accents = kind == gift.SHORT and bool(data["ignore_accents"])
    return question


def question_form_data(question: gift.Question) -> dict:
    """The question form's fields for a stored question."""
    rows = []
    if question.kind == gift.NUMERICAL:
        rows = [
            {
                "number": (answer.low + answer.high) / 2,
                "tolerance": (answer.high - answer.low) / 2,
                "grade": round(answer.fraction * 100),
                "feedback": answer.feedback,
            }
            for answer in question.numeric
        ]
    elif question.kind == gift.MATCHING:
        rows = [{"text": left, "match": right} for left, right in question.pairs]
    elif question.kind != gift.TRUE_FALSE:
        rows = [
            {"text": a.text, "grade": round(a.fraction * 100), "feedback": a.feedback}
            for a in question.answers
        ]
    data = {
        "text": question.text,
        "general_feedback": question.general_feedback,
        "ignore_accents": question.ignore_accents,
        "answers": rows + [{}] * max(2, 6 - len(rows)),
    }
    if question.kind == gift.TRUE_FALSE:
        right = {answer.text: answer for answer in question.answers}
        data["truth"] = "true" if right["true"].fraction > 0 else "false"
        data["true_feedback"] = right["true"].feedback
        data["false_feedback"] = right["false"].feedback
    return data


def delete_question(draft: Course, question: Question) -> None:
    db.session.delete(question)
    touch(draft)


def question_impact(draft: Course, question: Question) -> int:
    """How many answers learners gave to this question in the published course."""
    live = find_course(draft.slug)
    if live is None:
        return 0
    ids = select(Question.id).where(Question.course_id == live.id, Question.key == question.key)
    query = select(func.count()).where(AttemptAnswer.question_id.in_(ids))
    return db.session.scalar(query)


# Publishing -------------------------------------------------------------------------------


def publish_problems(draft: Course, plan: Outline | None = None) -> list[str]:
    """What stops the draft from being published, in the instructor's words."""
    plan = plan or outline(draft)
    problems = []
    if not plan.modules:
        problems.append(_("Add at least one module."))
    quizzes = []
    for entry in plan.modules:
        title = source_row(entry.module, draft.source_locale).title
        if not entry.lessons:
            problems.append(_("The module “%(title)s” has no lesson.", title=title))
        if entry.quiz:
            name = _("The quiz of “%(module)s”", module=title)
            quizzes.append((entry.quiz, entry.question_count, name))
    if plan.final:
        quizzes.append((plan.final, plan.final_count, _("The final assessment")))
    for quiz, available, name in quizzes:
        if available == 0:
            problems.append(_("%(quiz)s has no questions.", quiz=name))
        elif quiz.draw_count and quiz.draw_count > available:
            problems.append(
                _(
                    "%(quiz)s draws %(draw)d questions but has %(count)d.",
                    quiz=name,
                    draw=quiz.draw_count,
                    count=available,
                )
            )
    return problems


def quiz_name(draft: Course, quiz: Quiz) -> str:
    """A quiz named after its module (found by key, so a published quiz is named too)."""
    if quiz.key == FINAL:
        return _("The final assessment")
    module = next((module for module in draft.modules if module.key == quiz.key), None)
    title = source_row(module, draft.source_locale).title if module else quiz.key
    return _("The quiz of “%(module)s”", module=title)


def quiz_for_category(draft: Course, category: str) -> Quiz | None:
    return db.session.scalar(
        select(Quiz).where(Quiz.course_id == draft.id, Quiz.category == category)
    )


def question_label(draft: Course, question: Question) -> str:
    row = source_row(question, draft.source_locale)
    return _short(row.text if row else question.key)


def publish(draft: Course) -> Course:
    """Apply the draft to the published course (creating it the first time)."""
    problems = publish_problems(draft)
    if problems:
        raise AuthoringError(" ".join(problems))
    import_course(course_source(draft, published=True))
    live = find_course(draft.slug)
    copy_translation_state(draft, live)
    live.instructors = list(draft.instructors)
    draft.published_at = utcnow()
    db.session.flush()
    return live


def withdraw(draft: Course) -> None:
    """Take the published course out of the catalogue; enrolled learners keep their records."""
    live = find_course(draft.slug)
    if live is not None:
        live.is_published = False


# Translations -----------------------------------------------------------------------------

MISSING, OUT_OF_DATE, DONE = "missing", "out-of-date", "done"


@dataclass
class TranslationItem:
    kind: str  # course, module, lesson, question
    owner: object
    label: str
    statuses: dict[str, str] = field(default_factory=dict)


@dataclass
class TranslationTable:
    items: list[TranslationItem]
    locales: list[str]
    percent: dict[str, int]


def translation_items(draft: Course) -> list[TranslationItem]:
    """Every translatable object of the course, in reading order."""
    source = draft.source_locale
    items = [TranslationItem("course", draft, source_row(draft, source).title)]
    lessons: dict[int, list[Lesson]] = {}
    for lesson in lessons_with_texts(draft):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    for module in modules_with_texts(draft):
        items.append(TranslationItem("module", module, source_row(module, source).title))
        for lesson in lessons.get(module.id, []):
            items.append(TranslationItem("lesson", lesson, source_row(lesson, source).title))
    questions = db.session.scalars(
        select(Question)
        .where(Question.course_id == draft.id)
        .options(selectinload(Question.translations))
        .order_by(Question.position)
    )
    for question in questions:
        row = source_row(question, source)
        items.append(TranslationItem("question", question, _short(row.text if row else "")))
    return items


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def translation_status(owner, locale: str) -> str:
    row = source_row(owner, locale)
    if row is None:
        return MISSING
    return OUT_OF_DATE if row.is_out_of_date(owner.source_version) else DONE


def translation_table(draft: Course, locales: list[str]) -> TranslationTable:
    items = translation_items(draft)
    for item in items:
        item.statuses = {locale: translation_status(item.owner, locale) for locale in locales}
    percent = {
        locale: round(
            100 * sum(item.statuses[locale] == DONE for item in items) / max(len(items), 1)
        )
        for locale in locales
    }
    return TranslationTable(items, locales, percent)


OWNERS = {
    "course": (Course, CourseTranslation),
    "module": (Module, ModuleTranslation),
    "lesson": (Lesson, LessonTranslation),
    "question": (Question, QuestionTranslation),
}


def find_owner(draft: Course, kind: str, item_id: int):
    if kind == "course":
        return draft if item_id == draft.id else None
    model = OWNERS[kind][0]
    owner = db.session.get(model, item_id)
    course_id = owner.course_id if owner is not None else None
    return owner if course_id == draft.id else None


def source_values(owner, draft: Course) -> dict:
    row = source_row(owner, draft.source_locale)
    return source_snapshot(_row_values(row))


def _row_values(row) -> dict:
    if isinstance(row, CourseTranslation):
        return {"title": row.title, "summary": row.summary}
    if isinstance(row, ModuleTranslation):
        return {"title": row.title}
    if isinstance(row, LessonTranslation):
        return {"title": row.title, "body_markdown": row.body_markdown}
    return {"text": row.text, "general_feedback": row.general_feedback, "options": row.options}


def check_translation(draft: Course, kind: str, owner, values: dict) -> list[str]:
    problems = []
    for name in ("title", "summary", "text"):
        if name in values and not values[name].strip():
            problems.append(_("This field is required."))
    if kind == "lesson":
        problems += check_lesson(draft, values["title"], values["body_markdown"])
    if kind == "question":
        structure = source_question(owner)
        structure.texts = {"xx": values}
        problems += check_question(as_gift(structure, "xx"))
    return list(dict.fromkeys(problems))


def save_translation(draft: Course, owner, kind: str, locale: str, revision, values: dict):
    """Save a translation; it is then up to date with the current source text."""
    if locale == draft.source_locale:
        raise AuthoringError(_("This is the source language: edit the item itself."))
    problems = check_translation(draft, kind, owner, values)
    if problems:
        raise AuthoringError(" ".join(problems))
    if kind == "lesson":
        values = lesson_texts(draft, values["title"], values["body_markdown"])
    row = source_row(owner, locale)
    if row is None:
        if revision:
            # Someone deleted it since (a newer import): treat as a conflict.
            raise EditConflict
        row = OWNERS[kind][1](locale=locale, **values)
        owner.translations.append(row)
    else:
        claim(row, revision or 0)
        assign(row, **values)
    mark_reviewed(draft, owner, row)
    touch(draft)
    return row


def mark_reviewed(draft: Course, owner, row) -> None:
    """The translation matches the current source: it is no longer out of date."""
    row.source_version = owner.source_version
    row.source_snapshot = source_values(owner, draft)
    touch(draft)


@dataclass
class Change:
    name: str
    parts: list[tuple[str, str]]  # ("same" | "added" | "removed", text)


def source_changes(draft: Course, owner, row) -> list[Change] | None:
    """How the source text changed since this translation was made, word by word; None when
    the earlier source is not known (translations imported before snapshots existed)."""
    if row is None or not row.is_out_of_date(owner.source_version):
        return []
    if not row.source_snapshot:
        return None
    current = source_values(owner, draft)
    changes = []
    for name, now in current.items():
        before = row.source_snapshot.get(name, "")
        if name == "options":
            now = "\n".join(_option_words(now))
            before = "\n".join(_option_words(before or []))
        if before == now:
            continue
        old_words, new_words = re.split(r"(\s+)", before), re.split(r"(\s+)", now)
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        parts = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                parts.append(("same", "".join(new_words[j1:j2])))
            else:
                if i2 > i1:
                    parts.append(("removed", "".join(old_words[i1:i2])))
                if j2 > j1:
                    parts.append(("added", "".join(new_words[j1:j2])))
        changes.append(Change(name, parts))
    return changes


def _option_words(options: list[dict]) -> list[str]:
    return [
        " ".join(filter(None, (option.get("text"), option.get("match"), option.get("feedback"))))
        for option in options
    ]


def translation_form_data(kind: str, row, translated) -> dict:
    """The translation form's fields: the translation if it exists; else empty fields (and
    a question's answer rows, as many as the source has)."""
    values = _row_values(row) if translated is not None else {}
    if kind == "question":
        count_ = len(row.options)
        values.setdefault("options", [{} for _n in range(count_)])
    values["revision"] = translated.revision if translated is not None else None
    return values


# Which words of a question's answers a translation may change; the rest is the source's.
TRANSLATED_OPTION_FIELDS = {
    gift.SINGLE: ("text", "feedback"),
    gift.MULTIPLE: ("text", "feedback"),
    gift.SHORT: ("text", "feedback"),
    gift.MATCHING: ("text", "match"),
    gift.TRUE_FALSE: ("feedback",),
    gift.NUMERICAL: ("feedback",),
}


def translated_option_fields(question: Question) -> tuple[str, ...]:
    return TRANSLATED_OPTION_FIELDS.get(question.kind, ())


def translation_values(draft: Course, kind: str, owner, data: dict) -> dict:
    """What the translation form holds for this kind of item."""
    if kind == "course":
        return {"title": data["title"] or "", "summary": (data["summary"] or "").strip()}
    if kind == "module":
        return {"title": data["title"] or ""}
    if kind == "lesson":
        return {"title": data["title"] or "", "body_markdown": data["body_markdown"] or ""}
    source = source_row(owner, draft.source_locale)
    fields = translated_option_fields(owner)
    given = data["options"] or []
    options = []
    for index, original in enumerate(source.options):
        typed = given[index] if index < len(given) else {}
        options.append(
            {
                name: (typed.get(name) or "").strip() if name in fields else original[name]
                for name in ("text", "feedback", "match")
            }
        )
    return {
        "text": (data["text"] or "").strip(),
        "general_feedback": (data["general_feedback"] or "").strip(),
        "options": options,
    }


# Learners ---------------------------------------------------------------------------------


LEARNERS_PER_PAGE = 50
# What the preview shows where a learner's enrolment would be: a learner who just enrolled.
PREVIEW_ENROLMENT = SimpleNamespace(progress_percent=0, completed_at=None)


@dataclass
class LearnerRow:
    name: str
    progress_percent: int
    last_activity_at: object
    completed_at: object
    scores: dict[int, float]


def course_learners(
    live: Course, page: int, per_page: int = LEARNERS_PER_PAGE
) -> tuple[list[LearnerRow], int]:
    """One page of the course's learners with their progress and quiz scores."""
    total = db.session.scalar(
        select(func.count()).select_from(Enrolment).where(Enrolment.course_id == live.id)
    )
    rows = db.session.execute(
        select(Enrolment, User.name)
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.course_id == live.id)
        .order_by(Enrolment.last_activity_at.desc().nulls_last(), Enrolment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    ids = [enrolment.id for enrolment, _name in rows]
    scores: dict[int, dict[int, float]] = {}
    if ids:
        for result in db.session.scalars(
            select(QuizResult).where(QuizResult.enrolment_id.in_(ids))
        ):
            scores.setdefault(result.enrolment_id, {})[result.quiz_id] = result.score
    learners = [
        LearnerRow(
            name,
            enrolment.progress_percent,
            enrolment.last_activity_at,
            enrolment.completed_at,
            scores.get(enrolment.id, {}),
        )
        for enrolment, name in rows
    ]
    return learners, total
