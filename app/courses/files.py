"""Course folders: read and validate a manifest and its lesson files into plain objects.

The format is documented in courses/README.md. Nothing here touches the database: a folder
is read completely, every problem is collected with its file and line, and only a folder
without problems is handed to the importer.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from flask_babel import gettext as _

from app.assessments.files import (
    FINAL,
    QuestionSource,
    QuizSource,
    check_quizzes,
    read_banks,
    read_quiz,
)
from app.courses.models import KEY_MAX, LEVELS, TITLE_MAX
from app.i18n import LOCALES
from app.markdown import MEDIA_PREFIX, check_markdown

MANIFEST = "course.yml"
LESSONS_DIR = "lessons"
MEDIA_DIR = "media"
MAX_LESSON_BYTES = 200_000
MAX_MEDIA_BYTES = 5_000_000
# No SVG: it can carry script.
MEDIA_TYPES = {".png", ".jpg", ".jpeg", ".webp", ".gif"}
SUMMARY_MAX = 2000
KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_KEY = re.compile(KEY_PATTERN)
_IMAGE_TARGET = re.compile(r"!\[[^\]]*\]\(\s*<?(media/[^)\s>]+)")
COURSE_KEYS = {
    "slug", "source_language", "level", "estimated_hours", "published", "title", "summary",
    "modules", "final_assessment", "out_of_date",
}  # fmt: skip
OPTIONAL_COURSE_KEYS = {"published", "final_assessment", "out_of_date"}
# Which translations are out of date: `course: [fr]`, `modules: {key: [fr]}`, and so on.
OUT_OF_DATE_KEYS = {"course", "modules", "lessons", "questions"}
MODULE_KEYS = {"key", "title", "lessons", "quiz"}
LESSON_KEYS = {"key", "required"}


@dataclass(frozen=True)
class FileProblem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class LessonText:
    title: str
    body: str


@dataclass
class LessonSource:
    key: str
    required: bool
    texts: dict[str, LessonText] = field(default_factory=dict)


@dataclass
class ModuleSource:
    key: str
    titles: dict[str, str]
    lessons: list[LessonSource]
    quiz: QuizSource | None = None


@dataclass
class CourseSource:
    folder: Path
    slug: str
    source_locale: str
    level: str
    estimated_hours: Decimal
    published: bool
    titles: dict[str, str]
    summaries: dict[str, str]
    modules: list[ModuleSource]
    final: QuizSource | None = None
    media: dict[str, bytes] = field(default_factory=dict)
    questions: list[QuestionSource] = field(default_factory=list)
    # (kind, key) → locales whose translation is out of date; kind "course" has key "".
    out_of_date: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def quizzes(self) -> list[QuizSource]:
        found = [module.quiz for module in self.modules if module.quiz]
        return found + ([self.final] if self.final else [])

    def lessons(self) -> list[LessonSource]:
        return [lesson for module in self.modules for lesson in module.lessons]


class _LineMap(dict):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    mapping = _LineMap(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {key.value: key.start_mark.line + 1 for key, _value in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Collector:
    """Gathers the problems of one course folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[FileProblem] = []

    def add(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append(FileProblem(path, line, message))


def find_course_folders(path: Path) -> list[Path]:
    """A course folder itself, or every folder holding a manifest directly below `path`."""
    if (path / MANIFEST).is_file():
        return [path]
    return sorted(child for child in path.iterdir() if (child / MANIFEST).is_file())


def read_courses(path: Path) -> tuple[list[CourseSource], list[FileProblem]]:
    """Every course below `path`, or every problem found in them."""
    if not path.is_dir():
        return [], [FileProblem(path, None, _("This folder does not exist."))]
    folders = find_course_folders(path)
    if not folders:
        message = _(
            "No course found: a course folder holds a %(manifest)s file.", manifest=MANIFEST
        )
        return [], [FileProblem(path, None, message)]
    courses, problems = [], []
    for folder in folders:
        course, found = read_course(folder)
        problems += found
        if course:
            courses.append(course)
    problems += _duplicate_slugs(courses)
    return courses, problems


def _duplicate_slugs(courses: list[CourseSource]) -> list[FileProblem]:
    seen: dict[str, Path] = {}
    problems = []
    for course in courses:
        manifest = course.folder / MANIFEST
        if course.slug in seen:
            message = _(
                "The slug “%(slug)s” is already used by %(other)s.",
                slug=course.slug,
                other=str(seen[course.slug]),
            )
            problems.append(FileProblem(manifest, None, message))
        seen.setdefault(course.slug, manifest)
    return problems


def read_course(folder: Path) -> tuple[CourseSource | None, list[FileProblem]]:
    collector = _Collector(folder)
    manifest = _load_manifest(folder / MANIFEST, collector)
    if manifest is None:
        return None, collector.problems
    course = _read_manifest(manifest, collector)
    if course is None or collector.problems:
        return None, collector.problems
    _read_lessons(course, collector)
    _read_media(course, collector)
    course.questions = read_banks(folder, course.source_locale, collector.add)
    if not collector.problems:
        check_quizzes(course.quizzes(), course.questions, folder / MANIFEST, collector.add)
    if "out_of_date" in manifest and not collector.problems:
        _read_out_of_date(course, manifest, collector)
    return (None if collector.problems else course), collector.problems


def _load_manifest(path: Path, collector: _Collector) -> _LineMap | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except UnicodeDecodeError:
        collector.add(path, None, _("This file is not UTF-8 text."))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        collector.add(path, line, _("This is not valid YAML: %(error)s", error=_yaml_reason(error)))
        return None
    if not isinstance(data, _LineMap):
        collector.add(path, 1, _("The manifest must be a mapping of keys to values."))
        return None
    return data


def _yaml_reason(error: yaml.YAMLError) -> str:
    return str(getattr(error, "problem", None) or error)


def _unknown_keys(mapping: _LineMap, known: set[str], path: Path, collector: _Collector) -> None:
    for key in mapping:
        if key not in known:
            collector.add(path, mapping.key_lines.get(key), _("Unknown key “%(key)s”.", key=key))


def _required(mapping: _LineMap, key: str, path: Path, collector: _Collector):
    if key not in mapping or mapping[key] in (None, ""):
        collector.add(path, mapping.line, _("“%(key)s” is missing.", key=key))
        return None
    return mapping[key]


def _read_manifest(data: _LineMap, collector: _Collector) -> CourseSource | None:
    path = collector.folder / MANIFEST
    _unknown_keys(data, COURSE_KEYS, path, collector)
    values = {
        key: _required(data, key, path, collector) for key in COURSE_KEYS - OPTIONAL_COURSE_KEYS
    }
    if collector.problems:
        return None
    line = data.key_lines
    slug = _check_key(values["slug"], path, line["slug"], collector)
    source = str(values["source_language"])
    if source not in LOCALES:
        collector.add(path, line["source_language"], _unknown_language(source))
    if values["level"] not in LEVELS:
        collector.add(
            path,
            line["level"],
            _("The level must be one of: %(levels)s.", levels=", ".join(LEVELS)),
        )
    hours = _check_hours(values["estimated_hours"], path, line["estimated_hours"], collector)
    published = data.get("published", False)
    if not isinstance(published, bool):
        collector.add(path, line["published"], _("“published” must be true or false."))
    titles = _texts(data, "title", source, TITLE_MAX, path, collector)
    summaries = _texts(data, "summary", source, SUMMARY_MAX, path, collector)
    modules = _read_modules(values["modules"], source, path, line["modules"], collector)
    final = None
    if "final_assessment" in data:
        final = read_quiz(
            data["final_assessment"], FINAL, path, line["final_assessment"], collector.add
        )
    if collector.problems:
        return None
    return CourseSource(
        collector.folder,
        slug,
        source,
        values["level"],
        hours,
        published,
        titles,
        summaries,
        modules,
        final,
    )


def _read_out_of_date(course: CourseSource, manifest: _LineMap, collector: _Collector) -> None:
    path = collector.folder / MANIFEST
    value = manifest["out_of_date"]
    line = manifest.key_lines["out_of_date"]
    if not isinstance(value, _LineMap):
        collector.add(path, line, _("“out_of_date” must be a mapping, like lessons: {key: [fr]}."))
        return
    _unknown_keys(value, OUT_OF_DATE_KEYS, path, collector)
    known = {
        "module": {module.key for module in course.modules},
        "lesson": {lesson.key for lesson in course.lessons()},
        "question": {question.key for question in course.questions},
    }
    entries = [("course", "", value.get("course"), value.key_lines.get("course", line))]
    for section, kind in (("modules", "module"), ("lessons", "lesson"), ("questions", "question")):
        items = value.get(section) or {}
        section_line = value.key_lines.get(section, line)
        if not isinstance(items, dict):
            collector.add(path, section_line, _("“%(key)s” must be a mapping.", key=section))
            continue
        for key, locales in items.items():
            if key not in known[kind]:
                collector.add(path, section_line, _("No item has the key “%(key)s”.", key=key))
            else:
                entries.append((kind, key, locales, section_line))
    for kind, key, locales, entry_line in entries:
        if locales is None:
            continue
        if not isinstance(locales, list) or not all(code in LOCALES for code in locales):
            collector.add(path, entry_line, _("List languages, like [fr, es]."))
            continue
        course.out_of_date[(kind, key)] = set(locales)


def _unknown_language(code: str) -> str:
    return _(
        "Unknown language “%(code)s”: use one of %(locales)s.",
        code=code,
        locales=", ".join(LOCALES),
    )


def _check_key(value, path: Path, line: int, collector: _Collector) -> str:
    key = str(value)
    if not _KEY.match(key) or len(key) > KEY_MAX:
        collector.add(
            path,
            line,
            _("“%(key)s” is not a valid key: use lowercase letters, digits and hyphens.", key=key),
        )
    return key


def _check_hours(value, path: Path, line: int, collector: _Collector) -> Decimal:
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        hours = Decimal(-1)
    if not (Decimal(0) < hours <= Decimal(1000)) or isinstance(value, bool):
        collector.add(path, line, _("“estimated_hours” must be a number of hours above 0."))
        return Decimal(1)
    return hours.quantize(Decimal("0.1"))


def _texts(mapping: _LineMap, key: str, source: str, limit: int, path, collector) -> dict[str, str]:
    value = mapping.get(key)
    line = mapping.key_lines.get(key, mapping.line)
    if not isinstance(value, _LineMap):
        collector.add(path, line, _("“%(key)s” must give a text per language, like en: …", key=key))
        return {}
    texts = {}
    for locale, text in value.items():
        text_line = value.key_lines.get(locale, line)
        if locale not in LOCALES:
            collector.add(path, text_line, _unknown_language(str(locale)))
        elif not isinstance(text, str) or not text.strip():
            collector.add(path, text_line, _("This text is empty."))
        elif len(text.strip()) > limit:
            collector.add(path, text_line, _("Use at most %(max)d characters.", max=limit))
        else:
            texts[locale] = text.strip()
    if source in LOCALES and source not in texts and not collector.problems:
        collector.add(path, line, _("“%(key)s” needs a text in the source language.", key=key))
    return texts


def _read_modules(value, source: str, path: Path, line: int, collector) -> list[ModuleSource]:
    if not isinstance(value, list) or not value:
        collector.add(path, line, _("“modules” must list at least one module."))
        return []
    modules, module_keys, lesson_keys = [], set(), set()
    for entry in value:
        if not isinstance(entry, _LineMap):
            collector.add(
                path, line, _("Each module must be a mapping with key, title and lessons.")
            )
            continue
        _unknown_keys(entry, MODULE_KEYS, path, collector)
        key = _check_key(_required(entry, "key", path, collector), path, entry.line, collector)
        if key in module_keys:
            collector.add(path, entry.line, _("The key “%(key)s” is used twice.", key=key))
        module_keys.add(key)
        titles = _texts(entry, "title", source, TITLE_MAX, path, collector)
        lessons = _read_lesson_entries(entry, lesson_keys, path, collector)
        quiz = None
        if "quiz" in entry:
            quiz = read_quiz(entry["quiz"], key, path, entry.key_lines["quiz"], collector.add)
        modules.append(ModuleSource(key, titles, lessons, quiz))
    return modules


def _read_lesson_entries(module: _LineMap, seen: set[str], path, collector) -> list[LessonSource]:
    entries = module.get("lessons")
    if not isinstance(entries, list) or not entries:
        line = module.key_lines.get("lessons", module.line)
        collector.add(path, line, _("Each module must list at least one lesson."))
        return []
    lessons = []
    for entry in entries:
        if not isinstance(entry, _LineMap):
            collector.add(path, module.line, _("Each lesson must be a mapping with a key."))
            continue
        _unknown_keys(entry, LESSON_KEYS, path, collector)
        key = _check_key(_required(entry, "key", path, collector), path, entry.line, collector)
        if key in seen:
            collector.add(path, entry.line, _("The key “%(key)s” is used twice.", key=key))
        seen.add(key)
        required = entry.get("required", True)
        if not isinstance(required, bool):
            collector.add(path, entry.line, _("“required” must be true or false."))
        lessons.append(LessonSource(key, required is not False))
    return lessons


def _read_lessons(course: CourseSource, collector: _Collector) -> None:
    lessons_dir = course.folder / LESSONS_DIR
    by_key = {lesson.key: lesson for lesson in course.lessons()}
    for locale_dir in sorted(lessons_dir.iterdir()) if lessons_dir.is_dir() else []:
        if locale_dir.name not in LOCALES:
            collector.add(locale_dir, None, _unknown_language(locale_dir.name))
            continue
        for path in sorted(locale_dir.iterdir()):
            key = path.stem
            if path.suffix != ".md" or key not in by_key:
                collector.add(path, None, _("This file is not a lesson listed in course.yml."))
                continue
            text = _read_lesson_file(path, collector)
            if text:
                by_key[key].texts[locale_dir.name] = text
    for lesson in by_key.values():
        if course.source_locale not in lesson.texts:
            expected = lessons_dir / course.source_locale / f"{lesson.key}.md"
            if not any(problem.path == expected for problem in collector.problems):
                collector.add(expected, None, _("This lesson file is missing."))


def _read_lesson_file(path: Path, collector: _Collector) -> LessonText | None:
    if path.stat().st_size > MAX_LESSON_BYTES:
        collector.add(path, None, _("This lesson is too long (over 200 KB)."))
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        collector.add(path, None, _("This file is not UTF-8 text."))
        return None
    if not lines or not lines[0].startswith("# ") or not lines[0][2:].strip():
        collector.add(path, 1, _("A lesson starts with its title, like: # Title"))
        return None
    title, body = lines[0][2:].strip(), "\n".join(lines[1:])
    if len(title) > TITLE_MAX:
        collector.add(path, 1, _("Use at most %(max)d characters.", max=TITLE_MAX))
    if not body.strip():
        collector.add(path, 2, _("This lesson has a title but no text."))
    for problem in check_markdown(body, first_line=2):
        collector.add(path, problem.line, problem.message)
    return LessonText(title, body.strip())


def _read_media(course: CourseSource, collector: _Collector) -> None:
    media_dir = course.folder / MEDIA_DIR
    for lesson in course.lessons():
        for locale, text in lesson.texts.items():
            for target in _IMAGE_TARGET.findall(text.body):
                name = target.removeprefix(MEDIA_PREFIX)
                if name in course.media:
                    continue
                path = media_dir / name
                lesson_file = course.folder / LESSONS_DIR / locale / f"{lesson.key}.md"
                if not _inside(path, media_dir) or not path.is_file():
                    collector.add(
                        lesson_file, None, _("The image %(name)s is missing.", name=target)
                    )
                elif path.suffix.lower() not in MEDIA_TYPES:
                    collector.add(path, None, _("Images must be PNG, JPEG, WebP or GIF files."))
                elif path.stat().st_size > MAX_MEDIA_BYTES:
                    collector.add(path, None, _("This image is too large (over 5 MB)."))
                else:
                    course.media[name] = path.read_bytes()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())
