"""Apply validated course folders to the database, in place and idempotently.

Objects are matched by their keys, so re-importing a changed course keeps learners' progress
on every lesson that still exists, even one moved to another module. The caller commits once
for all courses, so an error anywhere changes nothing.
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy import select

from app.assessments.banks import sync_options
from app.assessments.models import Question, QuestionTranslation, Quiz
from app.courses.files import CourseSource
from app.courses.models import (
    Course,
    CourseLanguage,
    CourseMedia,
    CourseTranslation,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from app.database import assign
from app.extensions import db
from app.i18n import LOCALES
from app.learning.services import refresh_course_progress
from app.markdown import render_markdown
from app.storage import media_url, save_media


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_courses(sources: list[CourseSource]) -> ImportReport:
    """Files are the truth: each course, and its draft if one is being edited, become them."""
    report = ImportReport()
    for source in sources:
        outcome = import_course(source)
        getattr(report, outcome).append(source.slug)
        if find_course(source.slug, draft=True):
            import_course(source, draft=True)
            copy_translation_state(find_course(source.slug), find_course(source.slug, draft=True))
    db.session.flush()
    return report


def find_course(slug: str, *, draft: bool = False) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug, Course.is_draft == draft))


def import_course(source: CourseSource, *, draft: bool = False) -> str:
    """Create or update one course (or its draft); returns "created", "updated" or
    "unchanged"."""
    course = find_course(source.slug, draft=draft)
    created = course is None
    if created:
        course = Course(slug=source.slug, is_draft=draft, source_version=1)
        db.session.add(course)
    changed = assign(
        course,
        source_locale=source.source_locale,
        level=source.level,
        estimated_hours=source.estimated_hours,
        # A draft is never in the catalogue; publishing applies it to the published row.
        is_published=source.published and not draft,
    )
    course_texts = {
        locale: {"title": title, "summary": source.summaries[locale]}
        for locale, title in source.titles.items()
        if locale in source.summaries
    }
    changed |= sync_texts(
        course, course.translations, CourseTranslation, course_texts, source, ("course", "")
    )
    changed |= _sync_modules(course, source, _sync_media(course, source))
    db.session.flush()
    changed |= _sync_questions(course, source)
    changed |= _sync_quizzes(course, source)
    changed |= _sync_languages(course, complete_locales(source))
    if changed and not created and not draft:
        course.content_version += 1
        db.session.flush()
        refresh_course_progress(course.id)
    return "created" if created else "updated" if changed else "unchanged"


def _sync_media(course: Course, source: CourseSource) -> dict[str, str]:
    """Store the course's images and remember them by name; returns name → URL."""
    stored = {
        name: save_media(data, PurePosixPath(name).suffix) for name, data in source.media.items()
    }
    current = {item.name: item for item in course.media}
    for name, stored_name in stored.items():
        if name not in current:
            course.media.append(CourseMedia(name=name, stored_name=stored_name))
        else:
            assign(current.pop(name), stored_name=stored_name)
    for leftover in current.values():
        course.media.remove(leftover)
    return {name: media_url(stored_name) for name, stored_name in stored.items()}


def _sync_modules(course: Course, source: CourseSource, media_urls: dict[str, str]) -> bool:
    modules = {module.key: module for module in course.modules}
    lessons = {
        lesson.key: lesson
        for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))
    } if course.id else {}  # fmt: skip
    changed = False
    for position, module_source in enumerate(source.modules):
        module = modules.pop(module_source.key, None)
        if module is None:
            module = Module(key=module_source.key, position=position, source_version=1)
            course.modules.append(module)
            changed = True
        changed |= assign(module, position=position)
        titles = {locale: {"title": title} for locale, title in module_source.titles.items()}
        changed |= sync_texts(
            module, module.translations, ModuleTranslation, titles, source, ("module", module.key)
        )
        for lesson_position, lesson_source in enumerate(module_source.lessons):
            lesson = lessons.pop(lesson_source.key, None)
            if lesson is None:
                lesson = Lesson(key=lesson_source.key, course=course, source_version=1)
                db.session.add(lesson)
                changed = True
            changed |= assign(
                lesson, module=module, position=lesson_position, is_required=lesson_source.required
            )
            texts = {
                locale: {
                    "title": text.title,
                    "body_markdown": text.body,
                    "body_html": render_markdown(text.body, media_urls),
                }
                for locale, text in lesson_source.texts.items()
            }
            changed |= sync_texts(
                lesson,
                lesson.translations,
                LessonTranslation,
                texts,
                source,
                ("lesson", lesson.key),
            )
    for leftover in [*lessons.values(), *modules.values()]:
        db.session.delete(leftover)
        changed = True
    return changed


CONTENT_FIELDS = {"title", "summary", "body_markdown", "text", "general_feedback", "options"}


def sync_texts(owner, rows: list, row_class, texts: dict[str, dict], source: CourseSource,
               item: tuple[str, str]) -> bool:  # fmt: skip
    """Make an object's translation rows match `texts`, keeping track of source versions.

    When the source-language text changes, the owner's version goes up; a translation whose
    text is unchanged keeps its older version and so shows as out of date. A translation the
    files list as out of date (`out_of_date:` in the manifest) is made so too.
    """
    existing = {row.locale: row for row in rows}
    source_row = existing.get(source.source_locale)
    if source_row is not None and _differs(source_row, texts[source.source_locale], CONTENT_FIELDS):
        owner.source_version += 1
    snapshot = source_snapshot(texts[source.source_locale])
    changed = False
    for locale, values in texts.items():
        row = existing.pop(locale, None)
        translated = None if locale == source.source_locale else snapshot
        if row is None:
            rows.append(
                row_class(
                    locale=locale,
                    source_version=owner.source_version,
                    source_snapshot=translated,
                    **values,
                )
            )
            changed = True
        elif _differs(row, values, values.keys()):
            if _differs(row, values, CONTENT_FIELDS) or locale == source.source_locale:
                row.source_version = owner.source_version
                row.source_snapshot = translated
            assign(row, **values)
            changed = True
    for row in existing.values():
        rows.remove(row)
        changed = True
    stale = source.out_of_date.get(item, set()) - {source.source_locale}
    return _mark_out_of_date(owner, rows, stale) or changed


def _mark_out_of_date(owner, rows: list, locales: set[str]) -> bool:
    changed = False
    for row in rows:
        if row.locale in locales and not row.is_out_of_date(owner.source_version):
            if owner.source_version == 1:
                # Every row is at version 1: move the owner and the others on by one.
                owner.source_version = 2
                for other in rows:
                    other.source_version = 2 if other is not row else other.source_version
            row.source_version = owner.source_version - 1
            changed = True
    return changed


def source_snapshot(values: dict) -> dict:
    """What a translation remembers of the source text it translates."""
    return {name: value for name, value in values.items() if name in CONTENT_FIELDS}


def copy_translation_state(origin: Course, target: Course) -> None:
    """Give `target` the source versions and snapshots of `origin`, object by object, so a
    translation reviewed in a draft is reviewed once published too (and the other way)."""
    pairs = [(origin, target)]
    pairs += _by_key(origin.modules, target.modules)
    pairs += _by_key(_lessons(origin), _lessons(target))
    pairs += _by_key(_questions(origin), _questions(target))
    for source_owner, target_owner in pairs:
        assign(target_owner, source_version=source_owner.source_version)
        rows = {row.locale: row for row in source_owner.translations}
        for row in target_owner.translations:
            if row.locale in rows:
                assign(
                    row,
                    source_version=rows[row.locale].source_version,
                    source_snapshot=rows[row.locale].source_snapshot,
                )


def _by_key(origins, targets) -> list[tuple]:
    targets_by_key = {item.key: item for item in targets}
    return [(item, targets_by_key[item.key]) for item in origins if item.key in targets_by_key]


def _lessons(course: Course) -> list[Lesson]:
    return list(db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)))


def _questions(course: Course) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.course_id == course.id)))


def _differs(row, values: dict, fields) -> bool:
    return any(getattr(row, name) != values[name] for name in fields if name in values)


def complete_locales(source: CourseSource) -> set[str]:
    """The locales in which every text of the course exists."""
    locales = set(LOCALES) & set(source.titles) & set(source.summaries)
    for module in source.modules:
        locales &= set(module.titles)
        for lesson in module.lessons:
            locales &= set(lesson.texts)
    for question in source.questions:
        locales &= set(question.texts)
    return locales


def _sync_languages(course: Course, locales: set[str]) -> bool:
    current = {language.locale for language in course.languages}
    if current == locales:
        return False
    course.languages[:] = [
        language for language in course.languages if language.locale in locales
    ] + [CourseLanguage(locale=locale) for locale in sorted(locales - current)]
    return True


def _sync_questions(course: Course, source: CourseSource) -> bool:
    existing = {
        question.key: question
        for question in db.session.scalars(select(Question).where(Question.course_id == course.id))
    }
    changed = False
    for position, question_source in enumerate(source.questions):
        question = existing.pop(question_source.key, None)
        if question is None:
            question = Question(course_id=course.id, key=question_source.key, source_version=1)
            db.session.add(question)
            changed = True
        changed |= assign(
            question,
            category=question_source.category,
            kind=question_source.kind,
            markup=question_source.markup,
            position=position,
            ignore_accents=question_source.ignore_accents,
        )
        changed |= sync_options(question, question_source.options)
        changed |= sync_texts(
            question,
            question.translations,
            QuestionTranslation,
            question_source.texts,
            source,
            ("question", question.key),
        )
    for leftover in existing.values():
        db.session.delete(leftover)
        changed = True
    return changed


def _sync_quizzes(course: Course, source: CourseSource) -> bool:
    existing = {
        quiz.key: quiz
        for quiz in db.session.scalars(select(Quiz).where(Quiz.course_id == course.id))
    }
    module_ids = {module.key: module.id for module in course.modules}
    changed = False
    for quiz_source in source.quizzes():
        quiz = existing.pop(quiz_source.key, None)
        if quiz is None:
            quiz = Quiz(course_id=course.id, key=quiz_source.key)
            db.session.add(quiz)
            changed = True
        changed |= assign(
            quiz,
            module_id=module_ids.get(quiz_source.key),
            category=quiz_source.category,
            is_required=quiz_source.required,
            pass_mark=quiz_source.pass_mark,
            max_attempts=quiz_source.max_attempts,
            time_limit_minutes=quiz_source.time_limit,
            draw_count=quiz_source.draw,
            shuffle_questions=quiz_source.shuffle,
            shuffle_options=quiz_source.shuffle,
            review=quiz_source.review,
            grading=quiz_source.grading,
        )
    for leftover in existing.values():
        db.session.delete(leftover)
        changed = True
    return changed
