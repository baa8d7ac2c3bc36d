"""Reading courses for learners: the catalogue, a course's outline and a lesson, each in a
fixed number of queries and with every text in the reader's language or the source's."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.courses.models import (
    LEVELS,
    Course,
    CourseLanguage,
    CourseTranslation,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from app.extensions import db
from app.i18n import LOCALES, pick_translation


@dataclass
class Text:
    """A text as shown: its value, the locale it is in and whether that is a fallback."""

    value: str
    locale: str
    is_fallback: bool = False
    is_out_of_date: bool = False


@dataclass
class LessonEntry:
    id: int
    key: str
    title: Text
    is_required: bool
    module_id: int


@dataclass
class ModuleEntry:
    id: int
    key: str
    title: Text
    lessons: list[LessonEntry] = field(default_factory=list)


@dataclass
class CourseView:
    course: Course
    title: Text
    summary: Text
    languages: list[str]
    modules: list[ModuleEntry] = field(default_factory=list)

    @property
    def lessons(self) -> list[LessonEntry]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def is_fallback(self) -> bool:
        return self.title.is_fallback or any(
            module.title.is_fallback or any(lesson.title.is_fallback for lesson in module.lessons)
            for module in self.modules
        )


def _texts(model, owner_column, owner_ids, locales, *columns) -> dict[int, dict[str, object]]:
    """Translation rows of many owners in the given locales: {owner id: {locale: row}}."""
    query = select(model).where(owner_column.in_(owner_ids), model.locale.in_(locales))
    if columns:
        query = query.options(load_only(owner_column, model.locale, model.source_version, *columns))
    rows: dict[int, dict[str, object]] = {owner_id: {} for owner_id in owner_ids}
    for row in db.session.scalars(query):
        rows[getattr(row, owner_column.key)][row.locale] = row
    return rows


def _text(rows: dict, locale: str, source: str, attribute: str, version: int) -> Text:
    row, is_fallback = pick_translation(rows, locale, source)
    if row is None:
        return Text("", source, True)
    out_of_date = row.locale != source and row.source_version < version
    return Text(getattr(row, attribute), row.locale, is_fallback, out_of_date)


def _languages(course_ids: list[int]) -> dict[int, list[str]]:
    query = select(CourseLanguage).where(CourseLanguage.course_id.in_(course_ids))
    found: dict[int, set[str]] = {course_id: set() for course_id in course_ids}
    for language in db.session.scalars(query):
        found[language.course_id].add(language.locale)
    return {
        course_id: [code for code in LOCALES if code in codes] for course_id, codes in found.items()
    }


def catalogue(
    locale: str, language: str | None = None, level: str | None = None
) -> list[CourseView]:
    """Published courses, optionally only those complete in a language or of a level."""
    query = select(Course).where(Course.is_published)
    if language:
        query = query.where(Course.languages.any(CourseLanguage.locale == language))
    if level:
        query = query.where(Course.level == level)
    courses = list(db.session.scalars(query.order_by(Course.id)))
    ids = [course.id for course in courses]
    locales = {locale} | {course.source_locale for course in courses}
    texts = _texts(CourseTranslation, CourseTranslation.course_id, ids, locales)
    languages = _languages(ids)
    views = [
        CourseView(
            course,
            _text(texts[course.id], locale, course.source_locale, "title", course.source_version),
            _text(texts[course.id], locale, course.source_locale, "summary", course.source_version),
            languages[course.id],
        )
        for course in courses
    ]
    # Courses complete in the reader's language first, then by title.
    return sorted(
        views, key=lambda view: (locale not in view.languages, view.title.value.casefold())
    )


def find_published_course(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug, Course.is_published))


class PublishedCache:
    """What learners read of published courses (outlines, lesson bodies), kept per app
    server and rebuilt from the database on demand. Keys hold the course's id, creation
    time and content version, which every import or publish that changes the course raises:
    a changed course is simply looked up under a new key, on every server."""

    def __init__(self, size: int = 2048):
        self.size = size
        self.entries: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, build: Callable[[], object]):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = build()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


def _published_cache() -> PublishedCache:
    return current_app.extensions.setdefault("passerelle.published", PublishedCache())


def _content_key(course: Course, *parts) -> tuple:
    return (course.id, course.created_at, course.content_version, *parts)


def published_or_built(course: Course, parts: tuple, build: Callable[[], object]):
    """What `build` makes of a course: for a published course, from the per-server cache
    under its content version (built on a miss); for a draft, built anew."""
    if course.is_draft:
        return build()
    return _published_cache().get(_content_key(course, *parts), build)


def course_view(course: Course, locale: str) -> CourseView:
    """A course with its outline (modules, lessons and their titles): from the cache for a
    published course, else in six queries."""
    if course.is_draft:
        return _course_view(course, locale)
    cached = published_or_built(course, ("outline", locale), lambda: _course_view(course, locale))
    # The cached entries are shared between requests: only the course row is this request's.
    view = CourseView(course, cached.title, cached.summary, cached.languages)
    view.modules = cached.modules
    return view


def _course_view(course: Course, locale: str) -> CourseView:
    source, locales = course.source_locale, {locale, course.source_locale}
    texts = _texts(CourseTranslation, CourseTranslation.course_id, [course.id], locales)[course.id]
    modules = list(
        db.session.scalars(
            select(Module).where(Module.course_id == course.id).order_by(Module.position)
        )
    )
    lessons = list(
        db.session.scalars(
            select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        )
    )
    module_texts = _texts(
        ModuleTranslation, ModuleTranslation.module_id, [m.id for m in modules], locales
    )
    lesson_titles = _texts(
        LessonTranslation,
        LessonTranslation.lesson_id,
        [lesson.id for lesson in lessons],
        locales,
        LessonTranslation.title,
    )
    view = CourseView(
        course,
        _text(texts, locale, source, "title", course.source_version),
        _text(texts, locale, source, "summary", course.source_version),
        _languages([course.id])[course.id],
    )
    entries = {
        module.id: ModuleEntry(
            module.id,
            module.key,
            _text(module_texts[module.id], locale, source, "title", module.source_version),
        )
        for module in modules
    }
    for lesson in lessons:
        title = _text(lesson_titles[lesson.id], locale, source, "title", lesson.source_version)
        entries[lesson.module_id].lessons.append(
            LessonEntry(lesson.id, lesson.key, title, lesson.is_required, lesson.module_id)
        )
    view.modules = list(entries.values())
    return view


@dataclass
class LessonView:
    outline: CourseView
    lesson: LessonEntry
    module: ModuleEntry
    body_html: str
    body: Text
    previous: LessonEntry | None
    next: LessonEntry | None


def lesson_view(course: Course, key: str, locale: str) -> LessonView | None:
    """A lesson with its body in the reader's language (or the source's) and its neighbours."""
    outline = course_view(course, locale)
    ordered = outline.lessons
    position = next((i for i, lesson in enumerate(ordered) if lesson.key == key), None)
    if position is None:
        return None
    entry = ordered[position]

    def body() -> tuple[str, str, bool]:
        source = course.source_locale
        rows = _texts(LessonTranslation, LessonTranslation.lesson_id, [entry.id], {locale, source})
        row, is_fallback = pick_translation(rows[entry.id], locale, source)
        return row.body_html, row.locale, is_fallback

    body_html, body_locale, is_fallback = published_or_built(
        course, ("lesson", entry.id, locale), body
    )
    module = next(module for module in outline.modules if module.id == entry.module_id)
    return LessonView(
        outline,
        entry,
        module,
        body_html,
        Text("", body_locale, is_fallback, entry.title.is_out_of_date),
        ordered[position - 1] if position > 0 else None,
        ordered[position + 1] if position + 1 < len(ordered) else None,
    )


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))


def course_titles(courses: list[Course], locale: str) -> dict[int, Text]:
    """The title of each course in the reader's language or the course's own (one query)."""
    locales = {locale} | {course.source_locale for course in courses}
    ids = [course.id for course in courses]
    texts = _texts(CourseTranslation, CourseTranslation.course_id, ids, locales)
    return {
        course.id: _text(
            texts[course.id], locale, course.source_locale, "title", course.source_version
        )
        for course in courses
    }
