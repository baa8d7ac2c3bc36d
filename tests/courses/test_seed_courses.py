"""The seed courses in courses/ are complete, valid teaching material."""

import re
from pathlib import Path

import pytest

from app.courses.files import read_courses
from app.courses.importer import complete_locales
from app.i18n import LOCALES

COURSES = Path(__file__).resolve().parents[2] / "courses"
EXPECTED = {
    # slug: (modules at least, lessons at least, languages with every lesson)
    "ai-foundations": (4, 12, set(LOCALES)),
    "responsible-ai": (3, 8, {"en", "fr", "es", "ar"}),
}


@pytest.fixture(scope="module")
def seed(app_module):
    with app_module.test_request_context():
        sources, problems = read_courses(COURSES)
    assert [str(problem) for problem in problems] == []
    return {course.slug: course for course in sources}


@pytest.fixture(scope="module")
def app_module(database_url):
    from app import create_app
    from tests.conftest import make_config

    return create_app(make_config(database_url))


def length(text: str, locale: str) -> int:
    """Words, or for Chinese, characters (it does not separate words by spaces)."""
    if locale == "zh":
        return len(re.findall(r"[\u4e00-\u9fff]", text))
    return len(text.split())


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_seed_course_structure_and_languages(seed, slug):
    modules, lessons, languages = EXPECTED[slug]
    course = seed[slug]
    assert len(course.modules) >= modules
    assert len(course.lessons()) >= lessons
    assert complete_locales(course) == languages
    # Titles and summaries of the course and its modules exist in all eight languages.
    assert set(course.titles) == set(course.summaries) == set(LOCALES)
    assert all(set(module.titles) == set(LOCALES) for module in course.modules)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_lesson_has_a_teachable_length(seed, slug):
    wrong = []
    for lesson in seed[slug].lessons():
        for locale, text in lesson.texts.items():
            size = length(text.body, locale)
            low, high = (500, 1700) if locale == "zh" else (300, 700)
            if not low <= size <= high:
                wrong.append(f"{locale}/{lesson.key}: {size}")
    assert wrong == []


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_translations_keep_the_structure_of_the_source(seed, slug):
    """Same number of sections and the same links as the English lesson."""
    differences = []
    for lesson in seed[slug].lessons():
        source = lesson.texts["en"].body
        for locale, text in lesson.texts.items():
            for pattern in (r"(?m)^## ", r"\]\((https?://[^)\s]+)"):
                if re.findall(pattern, text.body) != re.findall(pattern, source):
                    differences.append(f"{locale}/{lesson.key}: {pattern}")
    assert differences == []
