"""A course back to its files: the `courses/` folder format, as plain objects or as a zip.

`course_source` turns the stored course into what `files.read_course` would read from its
folder; `course_files` writes that as files, and `read_zip` reads such a zip back, safely.
Exporting and importing again gives the same course.
"""

import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import yaml
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from app.assessments.files import QUESTIONS_DIR, QuizSource, as_gift, source_question
from app.assessments.gift import export_gift
from app.assessments.models import Question, Quiz
from app.courses.files import (
    LESSONS_DIR,
    MANIFEST,
    MEDIA_DIR,
    CourseSource,
    FileProblem,
    LessonSource,
    LessonText,
    ModuleSource,
    read_course,
)
from app.courses.models import Course, Lesson
from app.extensions import db
from app.storage import read_media

MAX_ZIP_BYTES = 20_000_000
MAX_UNPACKED_BYTES = 60_000_000
MAX_ZIP_FILES = 2_000
QUIZ_KEYS_IN_ORDER = (
    "required", "pass_mark", "draw", "max_attempts", "time_limit", "shuffle", "review", "grading",
)  # fmt: skip
# Text compresses about 10:1; a ratio far beyond that is a zip bomb, not a course.
MAX_RATIO = 200


def course_source(course: Course, *, published: bool) -> CourseSource:
    """The course as its files would describe it."""
    texts = {row.locale: row for row in course.translations}
    quizzes = {quiz.module_id: quiz for quiz in db.session.scalars(_quizzes(course))}
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()
    modules = []
    for module in course.modules:
        module_lessons = [
            LessonSource(
                lesson.key,
                lesson.is_required,
                {
                    row.locale: LessonText(row.title, row.body_markdown)
                    for row in sorted(lesson.translations, key=lambda row: row.locale)
                },
            )
            for lesson in lessons
            if lesson.module_id == module.id
        ]
        titles = {row.locale: row.title for row in module.translations}
        quiz = quizzes.get(module.id)
        modules.append(
            ModuleSource(module.key, titles, module_lessons, quiz and _quiz_source(quiz))
        )
    questions = db.session.scalars(
        select(Question).where(Question.course_id == course.id).order_by(Question.position)
    ).all()
    return CourseSource(
        folder=Path(course.slug),
        slug=course.slug,
        source_locale=course.source_locale,
        level=course.level,
        estimated_hours=course.estimated_hours,
        published=published,
        titles={locale: row.title for locale, row in texts.items()},
        summaries={locale: row.summary for locale, row in texts.items()},
        modules=modules,
        final=quizzes.get(None) and _quiz_source(quizzes[None]),
        media={item.name: read_media(item.stored_name) for item in course.media},
        questions=[source_question(question) for question in questions],
        out_of_date=_out_of_date(course, lessons, questions),
    )


def _out_of_date(course: Course, lessons, questions) -> dict[tuple[str, str], set[str]]:
    owners = [("course", "", course)]
    owners += [("module", module.key, module) for module in course.modules]
    owners += [("lesson", lesson.key, lesson) for lesson in lessons]
    owners += [("question", question.key, question) for question in questions]
    found = {}
    for kind, key, owner in owners:
        stale = {
            row.locale
            for row in owner.translations
            if row.locale != course.source_locale and row.is_out_of_date(owner.source_version)
        }
        if stale:
            found[(kind, key)] = stale
    return found


def _quizzes(course: Course):
    return select(Quiz).where(Quiz.course_id == course.id)


def _quiz_source(quiz: Quiz) -> QuizSource:
    return QuizSource(
        key=quiz.key,
        category=quiz.category,
        required=quiz.is_required,
        pass_mark=quiz.pass_mark,
        draw=quiz.draw_count,
        max_attempts=quiz.max_attempts,
        time_limit=quiz.time_limit_minutes,
        shuffle=quiz.shuffle_questions,
        review=quiz.review,
        grading=quiz.grading,
    )


def _quiz_settings(quiz: QuizSource) -> dict:
    """Only what differs from the defaults, as a person would write it."""
    defaults = QuizSource(quiz.key, quiz.category)
    return {
        name: getattr(quiz, name)
        for name in QUIZ_KEYS_IN_ORDER
        if getattr(quiz, name) != getattr(defaults, name)
    }


def _ordered(texts: dict[str, str], source: str) -> dict[str, str]:
    """The source language first, then the others alphabetically."""
    order = sorted(texts, key=lambda code: (code != source, code))
    return {locale: texts[locale] for locale in order}


def manifest(source: CourseSource) -> str:
    lang = source.source_locale
    data = {
        "slug": source.slug,
        "source_language": lang,
        "level": source.level,
        "estimated_hours": float(source.estimated_hours),
        "published": source.published,
        "title": _ordered(source.titles, lang),
        "summary": _ordered(source.summaries, lang),
        "modules": [],
    }
    for module in source.modules:
        entry = {
            "key": module.key,
            "title": _ordered(module.titles, lang),
            "lessons": [
                {"key": lesson.key} | ({} if lesson.required else {"required": False})
                for lesson in module.lessons
            ],
        }
        if module.quiz:
            entry["quiz"] = _quiz_settings(module.quiz)
        data["modules"].append(entry)
    if source.final:
        data["final_assessment"] = _quiz_settings(source.final)
    if source.out_of_date:
        data["out_of_date"] = _out_of_date_entries(source.out_of_date)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _out_of_date_entries(stale: dict[tuple[str, str], set[str]]) -> dict:
    """Translations that are out of date, as the manifest lists them."""
    entries: dict = {}
    if ("course", "") in stale:
        entries["course"] = sorted(stale[("course", "")])
    for kind, section in (("module", "modules"), ("lesson", "lessons"), ("question", "questions")):
        items = {key: sorted(codes) for (each, key), codes in stale.items() if each == kind}
        if items:
            entries[section] = items
    return entries


def course_files(source: CourseSource) -> dict[str, bytes]:
    """Every file of the course folder, by its path inside the folder."""
    files = {MANIFEST: manifest(source).encode()}
    for lesson in source.lessons():
        for locale, text in lesson.texts.items():
            path = f"{LESSONS_DIR}/{locale}/{lesson.key}.md"
            files[path] = f"# {text.title}\n\n{text.body}\n".encode()
    locales = sorted({locale for question in source.questions for locale in question.texts})
    for locale in locales:
        bank = [as_gift(q, locale) for q in source.questions if locale in q.texts]
        files[f"{QUESTIONS_DIR}/{locale}.gift"] = export_gift(bank).encode()
    for name, data in source.media.items():
        files[f"{MEDIA_DIR}/{name}"] = data
    return files


def course_zip(source: CourseSource) -> bytes:
    """The course folder as a zip, inside a folder named after the course."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(course_files(source).items()):
            # A fixed date, so the same course always gives the same bytes.
            info = zipfile.ZipInfo(f"{source.slug}/{path}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def read_zip(data: bytes) -> tuple[CourseSource | None, list[FileProblem]]:
    """A course from a zip of its folder, or the problems that stop it; nothing is written
    outside a temporary folder, and only after every entry has been checked."""
    problem = _zip_problem(data)
    if problem:
        return None, [FileProblem(Path("."), None, problem)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        try:
            _extract(archive, root)
        except (zipfile.BadZipFile, OSError, EOFError):
            return None, [FileProblem(Path("."), None, _("This zip archive is damaged."))]
        folders = [root] if (root / MANIFEST).is_file() else sorted(root.iterdir())
        if len(folders) != 1 or not (folders[0] / MANIFEST).is_file():
            message = _("The zip must hold one course folder with a course.yml.")
            return None, [FileProblem(Path("."), None, message)]
        source, problems = read_course(folders[0])
        relative = [
            FileProblem(_relative(problem.path, folders[0]), problem.line, problem.message)
            for problem in problems
        ]
        if source is not None:
            source.folder = Path(source.slug)
        return source, relative


def _extract(archive: zipfile.ZipFile, root: Path) -> None:
    # The declared sizes were checked; reading never yields more than they declare.
    for info in archive.infolist():
        if info.is_dir():
            continue
        target = root.joinpath(*PurePosixPath(info.filename).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as entry:
            target.write_bytes(entry.read())


def _relative(path: Path, folder: Path) -> Path:
    try:
        return path.relative_to(folder)
    except ValueError:
        return Path(path.name)


def _zip_problem(data: bytes) -> str | None:
    if len(data) > MAX_ZIP_BYTES:
        return _(
            "This file is too large (over %(size)s MB).", size=format_decimal(MAX_ZIP_BYTES / 1e6)
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return _("This file is not a zip archive.")
    with archive:
        if len(entries) > MAX_ZIP_FILES:
            return _("This zip holds too many files.")
        total = 0
        for info in entries:
            path = PurePosixPath(info.filename)
            if (
                info.filename.startswith(("/", "\\"))
                or "\\" in info.filename
                or ".." in path.parts
                or ":" in info.filename
                or _is_link(info)
            ):
                return _("The zip holds a path outside its folder: %(path)s", path=info.filename)
            total += info.file_size
            if info.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
                return _("This zip unpacks to more than %(size)d MB.", size=_unpacked_mb())
            if info.file_size > MAX_RATIO * max(info.compress_size, 1_000):
                return _("This zip unpacks to more than %(size)d MB.", size=_unpacked_mb())
    return None


def _unpacked_mb() -> int:
    return MAX_UNPACKED_BYTES // 1_000_000


def _is_link(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000
