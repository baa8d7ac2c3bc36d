"""Course folders are validated completely before anything is imported; every problem names
its file and line."""

from pathlib import Path

import pytest

from app.courses.files import read_courses
from tests.conftest import write_course


@pytest.fixture
def folder(course_root) -> Path:
    return write_course(course_root)


def problems(app, path: Path) -> list[str]:
    with app.test_request_context():
        _sources, found = read_courses(path)
    return [str(problem) for problem in found]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_valid_course_reads_without_problems(app, folder):
    with app.test_request_context():
        sources, found = read_courses(folder.parent)
    assert found == []
    (course,) = sources
    assert course.slug == "water-basics"
    assert [m.key for m in course.modules] == ["meters", "reports"]
    assert [lesson.required for lesson in course.lessons()] == [True, True, False, True]
    assert set(course.lessons()[0].texts) == {"en", "fr"}
    assert course.lessons()[0].texts["fr"].title == "Lire un compteur"


def test_malformed_yaml_names_the_line(app, folder):
    edit(folder / "course.yml", "level: beginner", "level: [beginner")
    (found,) = problems(app, folder)
    assert found.startswith(f"{folder / 'course.yml'}:")
    assert "not valid YAML" in found


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("level: beginner", "level: expert", 3, "The level must be one of"),
        ("  fr: Les bases", "  de: Les bases", 8, "Unknown language “de”"),
        ("source_language: en", "source_language: xx", 2, "Unknown language “xx”"),
        ("estimated_hours: 2.5", "estimated_hours: lots", 4, "estimated_hours"),
        ("published: true", "published: maybe", 5, "“published” must be true or false"),
        ("slug: water-basics", "slug: Water Basics!", 1, "is not a valid key"),
        ("      - key: leaks", "      - key: reading-meters", 19, "used twice"),
        ("      - key: leaks", "      - key: leaks\n        mandatory: yes", 20, "Unknown key"),
    ],
)
def test_manifest_problems_name_file_and_line(app, folder, old, new, line, message):
    edit(folder / "course.yml", old, new)
    found = problems(app, folder)
    assert any(f"course.yml:{line}: " in p and message in p for p in found), found


def test_a_missing_key_is_named(app, folder):
    edit(folder / "course.yml", "level: beginner\n", "")
    assert any("“level” is missing" in p for p in problems(app, folder))


def test_missing_lesson_file(app, folder):
    (folder / "lessons" / "en" / "leaks.md").unlink()
    assert problems(app, folder) == [f"{folder}/lessons/en/leaks.md: This lesson file is missing."]


def test_lesson_file_not_in_the_manifest(app, folder):
    (folder / "lessons" / "en" / "stray.md").write_text("# Stray\n\nText.\n")
    (found,) = problems(app, folder)
    assert "stray.md" in found and "not a lesson listed in course.yml" in found


def test_unknown_language_folder(app, folder):
    (folder / "lessons" / "de").mkdir()
    (found,) = problems(app, folder)
    assert "lessons/de" in found and "Unknown language “de”" in found


def test_duplicate_slugs_across_folders(app, course_root, folder):
    write_course(course_root, slug="water-copy")
    edit(course_root / "water-copy" / "course.yml", "slug: water-copy", "slug: water-basics")
    (found,) = problems(app, course_root)
    assert "water-copy/course.yml" in found and "already used by" in found


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("No heading here\n", 1, "starts with its title"),
        ("# Title only\n", 2, "has a title but no text"),
        ("# T\n\nIntro.\n\n<script>alert(1)</script>\n", 5, "HTML is not allowed"),
        ("# T\n\nText <img src=x onerror=alert(1)> here.\n", 3, "HTML is not allowed"),
        ("# T\n\nText.\n\n[Click](javascript:alert(1))\n", 5, "This link is not allowed"),
        ("# T\n\nSee <javascript:alert(1)>.\n", 3, "This link is not allowed"),
        ("# T\n\n[data](data:text/html;base64,PHNjcmlwdD4=)\n", 3, "This link is not allowed"),
        ("# T\n\n![Map](media/map.png)\n", 3, "Give the image its size"),
        ("# T\n\n![Map](https://example.org/map.png){width=1 height=1}\n", 3, "media folder"),
        ("# T\n\n[Film](https://example.org/film.mp4)\n", 3, "Give the video’s size"),
        ("# T\n\nText.\n\n```python\nprint(1)\n", 5, "never closed"),
    ],
)
def test_broken_lessons_name_file_and_line(app, folder, text, line, message):
    lesson = folder / "lessons" / "fr" / "leaks.md"
    lesson.write_text(text, encoding="utf-8")
    found = problems(app, folder)
    assert any(p.startswith(f"{lesson}:{line}: ") and message in p for p in found), found


def test_images_must_exist_in_the_media_folder(app, folder):
    lesson = folder / "lessons" / "en" / "leaks.md"
    lesson.write_text("# Leaks\n\n![Map](media/map.png){width=640 height=360}\n")
    (found,) = problems(app, folder)
    assert "media/map.png is missing" in found
    (folder / "media").mkdir()
    (folder / "media" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    assert problems(app, folder) == []


def test_a_path_that_does_not_exist(app, tmp_path):
    assert "does not exist" in problems(app, tmp_path / "nowhere")[0]
