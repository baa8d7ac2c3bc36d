"""The catalogue and course pages, in the reader's language or the course's own."""

from sqlalchemy import select

from app.courses.models import Course
from app.extensions import db
from tests.conftest import import_folder, sign_in, write_course


def test_catalogue_lists_published_courses_with_their_facts(client, mini_course):
    page = client.get("/courses").get_data(as_text=True)
    assert "Water data basics" in page
    assert "Reading the numbers a water utility collects." in page
    assert "Estimated time: 2.5 hours" in page and "Beginner" in page
    assert '<li lang="en">English</li>' in page
    assert '<li lang="fr">' not in page, "French is not complete: one lesson is missing"


def test_unpublished_courses_are_hidden(app, client, course_root):
    write_course(course_root, published=False)
    import_folder(app, course_root)
    assert "Water data basics" not in client.get("/courses").get_data(as_text=True)
    assert client.get("/courses/water-basics").status_code == 404


def test_catalogue_filters_by_language_and_level_in_the_query_string(app, client, course_root):
    write_course(course_root)
    second = write_course(course_root, slug="advanced-water")
    text = (second / "course.yml").read_text().replace("level: beginner", "level: advanced")
    (second / "course.yml").write_text(text.replace("Water data basics", "Advanced water data"))
    import_folder(app, course_root)
    both = client.get("/courses").get_data(as_text=True)
    assert "Water data basics" in both and "Advanced water data" in both
    advanced = client.get("/courses?level=advanced").get_data(as_text=True)
    assert "Advanced water data" in advanced and "Water data basics" not in advanced
    french = client.get("/courses?language=fr").get_data(as_text=True)
    assert "No course matches these filters yet." in french
    english = client.get("/courses?language=en&level=beginner").get_data(as_text=True)
    assert "Water data basics" in english and "Advanced water data" not in english


def test_a_bad_filter_gets_a_message_and_the_full_catalogue(client, mini_course):
    response = client.get("/courses?language=klingon&level=%3Cscript%3E")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "That filter is not available: showing all courses." in page
    assert "Water data basics" in page
    assert "<script>" not in page


def test_titles_come_in_the_readers_language_else_the_source_with_its_lang(client, mini_course):
    french = client.get("/courses/water-basics", headers={"Accept-Language": "fr"})
    page = french.get_data(as_text=True)
    assert "Les bases des données sur l&#39;eau" in page
    assert "Trouver les fuites" in page
    # The monthly report has no French text: its title is English, marked as such.
    assert '<span lang="en" dir="ltr">The monthly report</span>' in page
    assert 'class="notice"' in page


def test_course_page_outline_and_enrol_form(client, create_user, mini_course):
    anonymous = client.get("/courses/water-basics").get_data(as_text=True)
    assert "Sign in to enrol" in anonymous
    assert (
        anonymous.index("Meters") < anonymous.index("Reading meters") < anonymous.index("Reports")
    )
    assert "optional" in anonymous
    sign_in(client, create_user())
    page = client.get("/courses/water-basics").get_data(as_text=True)
    assert 'action="/courses/water-basics/enrol"' in page
    assert "Cohort code (optional)" in page


def test_unknown_course_is_404(client):
    assert client.get("/courses/no-such-course").status_code == 404


def test_catalogue_and_course_pages_run_a_fixed_number_of_queries(
    app, client, course_root, create_user, count_queries
):
    sign_in(client, create_user())
    write_course(course_root)
    import_folder(app, course_root)
    with count_queries() as one_course:
        client.get("/courses")
    with count_queries() as small:
        client.get("/courses/water-basics")
    with count_queries() as small_again:  # the outline and the quizzes are cached now
        client.get("/courses/water-basics")
    for number in range(3):
        write_course(course_root, slug=f"copy-{number}")
    bigger = course_root / "copy-0" / "course.yml"
    bigger.write_text(bigger.read_text() + "  - key: extra\n    title:\n      en: Extra\n"
                      "    lessons:\n      - key: extra-one\n")  # fmt: skip
    (course_root / "copy-0" / "lessons" / "en" / "extra-one.md").write_text("# One\n\nText.\n")
    import_folder(app, course_root)
    with count_queries() as four_courses:
        client.get("/courses")
    with count_queries() as large:
        client.get("/courses/copy-0")
    with count_queries() as large_again:
        client.get("/courses/copy-0")
    assert len(one_course) == len(four_courses) <= 4
    assert len(small) == len(large) <= 14
    assert len(small_again) == len(large_again) <= 4, small_again
    with app.app_context():
        assert db.session.scalar(select(Course).where(Course.slug == "copy-0")) is not None
