"""A course back to files and a zip: the round trip is exact, and bad zips change nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.courses.exporter import course_files, course_source, course_zip, read_zip
from app.courses.files import read_course
from app.courses.importer import find_course, import_courses
from app.courses.models import Lesson
from app.extensions import db

SEED = Path(__file__).resolve().parents[2] / "courses"


def _comparable(source):
    """Everything a course is made of, without where it was read from."""
    values = dict(vars(source))
    values.pop("folder")
    return values


@pytest.mark.parametrize("slug", ["ai-foundations", "responsible-ai"])
def test_seed_course_round_trip_is_exact(app, slug, tmp_path):
    original, problems = read_course(SEED / slug)
    assert not problems
    with app.test_request_context():
        import_courses([original])
        db.session.commit()
        exported = course_zip(course_source(find_course(slug), published=original.published))

    again, problems = read_zip(exported)
    assert not problems, [str(problem) for problem in problems]
    assert _comparable(again) == _comparable(original)

    # Imported afresh, the zip gives a course whose export is the same bytes.
    with app.test_request_context():
        db.session.delete(find_course(slug))
        db.session.flush()
        import_courses([again])
        db.session.commit()
        assert course_zip(course_source(find_course(slug), published=again.published)) == exported


def test_exported_files_follow_the_folder_format(app, mini_course):
    with app.test_request_context():
        files = course_files(course_source(find_course("water-basics"), published=True))
    assert set(files) == {
        "course.yml",
        "lessons/en/reading-meters.md",
        "lessons/en/leaks.md",
        "lessons/en/history.md",
        "lessons/en/monthly-report.md",
        "lessons/fr/reading-meters.md",
        "lessons/fr/leaks.md",
        "lessons/fr/history.md",
    }
    assert files["lessons/fr/leaks.md"].decode().startswith("# Trouver les fuites\n\n")
    manifest = files["course.yml"].decode()
    assert "slug: water-basics" in manifest
    assert "required: false" in manifest


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"../evil/course.yml": b"slug: x"}, "outside its folder"),
        ({"/etc/course.yml": b"slug: x"}, "outside its folder"),
        ({"c/course.yml": b"slug: x", "c/bomb.md": b"\0" * 50_000_000}, "unpacks to more than"),
        ({"a/course.yml": b"x: 1", "b/course.yml": b"x: 1"}, "one course folder"),
        ({"readme.txt": b"hello"}, "one course folder"),
    ],
)
def test_bad_zips_are_refused_with_a_reason(app, entries, message):
    with app.test_request_context():
        source, problems = read_zip(_zip(entries))
    assert source is None
    assert message in str(problems[0])


def test_not_a_zip_and_too_large(app):
    with app.test_request_context():
        assert "not a zip" in str(read_zip(b"plain text")[1][0])
        huge = _zip({"c/course.yml": bytes(range(256)) * 90_000}, zipfile.ZIP_STORED)
        assert "too large" in str(read_zip(huge)[1][0])


def test_problems_in_a_zip_name_the_file_inside_it(app, mini_course):
    with app.test_request_context():
        files = course_files(course_source(find_course("water-basics"), published=True))
    files["lessons/en/leaks.md"] = b"no title here"
    with app.test_request_context():
        source, problems = read_zip(_zip({f"water-basics/{k}": v for k, v in files.items()}))
    assert source is None
    assert [str(problem) for problem in problems] == [
        "lessons/en/leaks.md:1: A lesson starts with its title, like: # Title"
    ]


def test_the_cli_imports_a_zip_and_updates_a_draft_being_edited(app, runner, tmp_path):
    original, _problems = read_course(SEED / "responsible-ai")
    with app.test_request_context():
        data = course_zip(original)
    archive = tmp_path / "responsible-ai.zip"
    archive.write_bytes(data)
    result = runner.invoke(args=["lms", "import-courses", str(archive)])
    assert result.exit_code == 0, result.output
    assert "created   responsible-ai" in result.output
    with app.test_request_context():
        from app.courses.authoring import make_draft

        make_draft(find_course("responsible-ai"))
        db.session.commit()
    # Files are the truth: a second import updates the course and the draft alike.
    changed = original
    changed.titles["en"] = "Responsible AI, second edition"
    with app.test_request_context():
        archive.write_bytes(course_zip(changed))
    assert runner.invoke(args=["lms", "import-courses", str(archive)]).exit_code == 0
    with app.app_context():
        for draft in (False, True):
            course = find_course("responsible-ai", draft=draft)
            title = next(row.title for row in course.translations if row.locale == "en")
            assert title == "Responsible AI, second edition"


def test_the_cli_refuses_a_bad_zip_and_imports_nothing(app, runner, tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"not a zip")
    result = runner.invoke(args=["lms", "import-courses", str(archive)])
    assert result.exit_code != 0
    assert "This file is not a zip archive." in result.output


def test_out_of_date_translations_survive_the_round_trip(app, mini_course, count_queries):
    from app.courses.models import LessonTranslation

    changed = (mini_course / "lessons" / "en" / "leaks.md").read_text() + "\nAnd listen.\n"
    (mini_course / "lessons" / "en" / "leaks.md").write_text(changed)
    with app.test_request_context():
        source, problems = read_course(mini_course)
        import_courses([source])
        db.session.commit()
        exported = course_zip(course_source(find_course("water-basics"), published=True))
    assert b"out_of_date:\n  lessons:\n    leaks:\n    - fr\n" in _unzipped(exported)["course.yml"]
    again, problems = read_zip(exported)
    assert again.out_of_date == {("lesson", "leaks"): {"fr"}}
    with app.test_request_context():
        db.session.delete(find_course("water-basics"))
        db.session.flush()
        import_courses([again])
        db.session.commit()
        stale = {
            (row.lesson_id, row.locale)
            for row in db.session.scalars(select(LessonTranslation))
            if row.is_out_of_date(db.session.get(Lesson, row.lesson_id).source_version)
        }
        leaks = db.session.scalar(select(Lesson.id).where(Lesson.key == "leaks"))
        assert stale == {(leaks, "fr")}
        assert course_zip(course_source(find_course("water-basics"), published=True)) == exported
    # Importing the same files again writes nothing.
    with app.test_request_context(), count_queries() as statements:
        assert import_courses([again]).unchanged == ["water-basics"]
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def _unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("out_of_date: [fr]", "must be a mapping"),
        ("out_of_date:\n  lessons:\n    nowhere: [fr]", "No item has the key “nowhere”."),
        ("out_of_date:\n  course: [xx]", "List languages, like [fr, es]."),
        ("out_of_date:\n  chapters: {}", "Unknown key “chapters”."),
    ],
)
def test_bad_out_of_date_entries_are_reported(app, mini_course, entry, message):
    manifest = mini_course / "course.yml"
    manifest.write_text(manifest.read_text() + entry + "\n")
    with app.test_request_context():
        source, problems = read_course(mini_course)
    assert source is None
    assert message in str(problems[0])
