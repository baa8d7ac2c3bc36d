"""Importing course folders: idempotent, in place, atomic, and mindful of translations."""

from sqlalchemy import func, select

from app.courses.models import Course, CourseLanguage, Lesson, LessonTranslation, Module
from app.extensions import db
from app.learning import services as learning
from app.learning.models import Enrolment, LessonProgress
from tests.conftest import import_folder, write_course
from tests.courses.test_files import edit


def lesson(key: str) -> Lesson:
    return db.session.scalar(select(Lesson).where(Lesson.key == key))


def translation(key: str, locale: str) -> LessonTranslation:
    return db.session.scalar(
        select(LessonTranslation)
        .join(Lesson, Lesson.id == LessonTranslation.lesson_id)
        .where(Lesson.key == key, LessonTranslation.locale == locale)
    )


def test_import_creates_the_course_with_every_text(app, course_root):
    write_course(course_root)
    report = import_folder(app, course_root)
    assert report.created == ["water-basics"]
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert (course.level, str(course.estimated_hours), course.is_published) == (
            "beginner",
            "2.5",
            True,
        )
        assert [m.key for m in course.modules] == ["meters", "reports"]
        assert [lesson.key for lesson in course.modules[0].lessons] == [
            "reading-meters",
            "leaks",
            "history",
        ]
        assert lesson("history").is_required is False
        assert translation("leaks", "fr").title == "Trouver les fuites"
        assert (
            '<div class="table-scroll" tabindex="0"><table>' in translation("leaks", "en").body_html
        )
        # French lacks the monthly report, so the course is complete only in English.
        languages = db.session.scalars(select(CourseLanguage.locale)).all()
        assert languages == ["en"]


def test_importing_twice_changes_nothing(app, course_root, count_queries):
    write_course(course_root)
    import_folder(app, course_root)
    with app.app_context():
        stamp = db.session.scalar(select(Course.updated_at))
    with count_queries() as statements:
        report = import_folder(app, course_root)
    assert report.unchanged == ["water-basics"]
    writes = [
        s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    with app.app_context():
        assert db.session.scalar(select(Course.updated_at)) == stamp


def test_a_changed_source_marks_its_translations_out_of_date(app, mini_course):
    edit(mini_course / "lessons" / "en" / "leaks.md", "Compare night and day.", "Compare flows.")
    assert import_folder(app, mini_course.parent).updated == ["water-basics"]
    with app.app_context():
        assert lesson("leaks").source_version == 2
        assert translation("leaks", "en").source_version == 2
        assert translation("leaks", "fr").is_out_of_date(2)
        assert not translation("reading-meters", "fr").is_out_of_date(1)
    # The translator catches up: the French text changes, and is current again.
    edit(mini_course / "lessons" / "fr" / "leaks.md", "Comparez", "Comparez bien")
    import_folder(app, mini_course.parent)
    with app.app_context():
        assert translation("leaks", "fr").source_version == 2


def test_a_changed_course_is_updated_in_place_and_keeps_progress(app, mini_course, create_user):
    learner = create_user()
    with app.test_request_context():
        course = db.session.scalar(select(Course))
        enrolment = learning.enrol(learner.id, course)
        for key in ("reading-meters", "leaks", "monthly-report"):
            learning.mark_lesson_complete(enrolment, lesson(key).id)
        db.session.commit()
        assert enrolment.progress_percent == 100
        old_ids = {key: lesson(key).id for key in ("leaks", "monthly-report")}

    # Move "leaks" to the reports module, drop "reading-meters", add a new required lesson.
    manifest = mini_course / "course.yml"
    edit(manifest, "      - key: reading-meters\n      - key: leaks\n", "")
    edit(
        manifest,
        "      - key: monthly-report\n",
        "      - key: monthly-report\n      - key: leaks\n      - key: tariffs\n",
    )
    (mini_course / "lessons" / "en" / "reading-meters.md").unlink()
    (mini_course / "lessons" / "fr" / "reading-meters.md").unlink()
    (mini_course / "lessons" / "en" / "tariffs.md").write_text("# Tariffs\n\nPrices.\n")
    import_folder(app, mini_course.parent)

    with app.app_context():
        assert lesson("reading-meters") is None
        moved = lesson("leaks")
        assert moved.id == old_ids["leaks"]
        assert db.session.get(Module, moved.module_id).key == "reports"
        kept = set(db.session.scalars(select(LessonProgress.lesson_id)))
        assert kept == {old_ids["leaks"], old_ids["monthly-report"]}
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment.progress_percent == 66  # 2 of 3 required lessons
        assert enrolment.completed_at is not None, "a completion already reached stays"


def test_one_broken_course_means_nothing_is_imported(app, runner, course_root):
    write_course(course_root, slug="first-course")
    broken = write_course(course_root, slug="second-course")
    (broken / "lessons" / "en" / "leaks.md").write_text("# Leaks\n\n<script>x()</script>\n")
    result = runner.invoke(args=["lms", "import-courses", str(course_root)])
    assert result.exit_code == 1
    assert f"{broken}/lessons/en/leaks.md:3: HTML is not allowed" in result.output
    assert "nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_cli_import_reports_what_it_did(runner, course_root):
    write_course(course_root)
    first = runner.invoke(args=["lms", "import-courses", str(course_root)])
    assert first.exit_code == 0, first.output
    assert "created   water-basics" in first.output
    second = runner.invoke(args=["lms", "import-courses", str(course_root)])
    assert "unchanged water-basics" in second.output


def test_media_files_are_stored_and_served_with_long_caching(app, client, course_root):
    folder = write_course(course_root)
    (folder / "media").mkdir()
    (folder / "media" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    (folder / "lessons" / "en" / "leaks.md").write_text(
        "# Leaks\n\n![Map of the network](media/map.png){width=640 height=360}\n"
    )
    import_folder(app, course_root)
    with app.app_context():
        html = translation("leaks", "en").body_html
    url = html.split('src="')[1].split('"')[0]
    assert url.startswith("/media/") and url.endswith(".png")
    assert 'loading="lazy"' in html and 'width="640"' in html and 'height="360"' in html
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.data.startswith(b"\x89PNG")
        assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/media/../passerelle.cfg").status_code == 404
