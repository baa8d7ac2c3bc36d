"""Authoring in the browser: drafts, modules, lessons, publishing, concurrent edits, bad input."""

import re

import pytest
from sqlalchemy import func, select

from app.courses.importer import find_course
from app.courses.models import Course, Lesson, Module
from app.extensions import db
from app.learning.models import Enrolment
from tests.conftest import post_form, sign_in
from tests.courses.conftest import (
    COURSE,
    add_lesson,
    add_module,
    create_course,
    ids,
    page,
    post,
    publish,
)


def test_a_new_course_is_a_draft_that_learners_do_not_see(app, teacher_client):
    create_course(teacher_client)
    assert "Open data for ministries" in page(teacher_client.get("/teach"))
    assert "Open data for ministries" not in page(teacher_client.get("/courses"))
    assert teacher_client.get("/courses/open-data").status_code == 404
    outline = page(teacher_client.get("/teach/courses/open-data"))
    assert "never been published" in outline
    assert "Add at least one module." in outline


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"title": "x" * 201}, "Use at most 200 characters."),
        ({"summary": "x" * 2001}, "Use at most 2000 characters."),
        ({"slug": "Open Data!"}, "Use lowercase letters, digits and hyphens."),
        ({"estimated_hours": "-1"}, "Enter a number of hours above 0."),
        ({"estimated_hours": "lots"}, "Not a valid decimal value."),
        ({"level": "expert"}, "Choose one of the options in the list."),
        ({"source_locale": "xx"}, "Choose one of the options in the list."),
    ],
)
def test_bad_course_settings_are_refused_and_change_nothing(app, teacher_client, changes, message):
    response = post(teacher_client, "/teach/new", {**COURSE, **changes})
    assert response.status_code == 200
    assert message in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_a_taken_short_name_is_refused(app, teacher_client, mini_course):
    response = post(teacher_client, "/teach/new", {**COURSE, "slug": "water-basics"})
    assert "A course with this short name exists already." in page(response)


def test_modules_and_lessons_are_added_reordered_and_deleted(app, teacher_client, small_draft):
    modules, lessons = small_draft
    slug = "/teach/courses/open-data"
    post(teacher_client, f"{slug}/modules/{modules[0]}/move", {"direction": "down"})
    assert ids(app, Module) == [modules[1], modules[0]]
    post(teacher_client, f"{slug}/modules/{modules[0]}/move", {"direction": "down"})  # at the end
    assert ids(app, Module) == [modules[1], modules[0]]
    post(teacher_client, f"{slug}/modules/{modules[0]}/move", {"direction": "up"})
    assert ids(app, Module) == modules

    add_lesson(teacher_client, app, modules[0], "Asking for data")
    first, second = ids(app, Lesson)[:2]
    post(teacher_client, f"{slug}/lessons/{second}/move", {"direction": "up"})
    outline = page(teacher_client.get(slug))
    assert outline.index("Asking for data") < outline.index("What counts as data")

    confirm = teacher_client.get(f"{slug}/lessons/{second}/delete")
    assert "No learner has progress on it" in page(confirm)
    assert ids(app, Lesson).count(second) == 1  # a GET deletes nothing
    assert post(teacher_client, f"{slug}/lessons/{second}/delete", {}).status_code == 302
    assert second not in ids(app, Lesson)
    post(teacher_client, f"{slug}/modules/{modules[1]}/delete", {})
    assert ids(app, Module) == [modules[0]]


def test_a_lesson_is_previewed_without_being_saved(app, teacher_client, small_draft):
    modules, lessons = small_draft
    url = f"/teach/courses/open-data/lessons/{lessons[0]}"
    response = post(
        teacher_client,
        url,
        {
            "title": "What counts as data",
            "body": "## Tables\n\nA *spreadsheet* is data.",
            "is_required": "y",
            "module_id": modules[0],
            "revision": 1,
            "preview": "Preview",
        },
    )
    body = page(response)
    assert "<h2>Tables</h2>" in body and "<em>spreadsheet</em>" in body
    with app.app_context():
        assert "Tables" not in db.session.get(Lesson, lessons[0]).translations[0].body_markdown


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hello <script>alert(1)</script>", "Line 1:"),
        ("[click](javascript:alert(1))", "Line 1:"),
        (
            "![a chart](media/chart.png){width=10 height=10}",
            "The image media/chart.png is missing.",
        ),
        ("x" * 100_001, "Use at most 100000 characters."),
        ("   ", "This field is required."),
    ],
)
def test_bad_lesson_text_is_refused_and_changes_nothing(
    app, teacher_client, small_draft, body, message
):
    modules, lessons = small_draft
    response = post(
        teacher_client,
        f"/teach/courses/open-data/lessons/{lessons[0]}",
        {"title": "T", "body": body, "module_id": modules[0], "revision": 1, "save": "Save"},
    )
    assert response.status_code == 200
    assert message in page(response)
    with app.app_context():
        lesson = db.session.get(Lesson, lessons[0])
        assert lesson.translations[0].body_markdown == "Some **text**."
        assert lesson.revision == 1


def test_a_lesson_cannot_move_to_another_courses_module(
    app, teacher_client, small_draft, create_user
):
    modules, lessons = small_draft
    create_course(teacher_client, slug="other", title="Other")
    add_module(teacher_client, "Elsewhere", slug="other")
    foreign = ids(app, Module, slug="other")[0]
    response = post(
        teacher_client,
        f"/teach/courses/open-data/lessons/{lessons[0]}",
        {"title": "Moved", "body": "Text.", "module_id": foreign, "revision": 1, "save": "Save"},
    )
    assert response.status_code == 200
    assert "Choose one of the options in the list." in page(response)
    with app.app_context():
        assert db.session.get(Lesson, lessons[0]).module_id == modules[0]


def test_the_service_refuses_a_forged_module_even_without_the_form(app, small_draft):
    from app.courses import authoring

    modules, lessons = small_draft
    with app.test_request_context():
        course = find_course("open-data", draft=True)
        lesson = db.session.get(Lesson, lessons[0])
        values = {"module_id": 999_999, "title": "T", "body": "B", "is_required": True}
        with pytest.raises(authoring.AuthoringError, match="not part of this course"):
            authoring.update_lesson(course, lesson, 1, values)


def test_two_instructors_saving_the_same_lesson(
    app, teacher_client, small_draft, create_user, make_app
):
    """The second save, based on the same revision, is refused and both versions shown."""
    modules, lessons = small_draft
    co = create_user(role="instructor")
    post(teacher_client, "/teach/courses/open-data/instructors", {"email": co.email})
    other = app.test_client()
    sign_in(other, co)
    url = f"/teach/courses/open-data/lessons/{lessons[0]}"
    form = page(other.get(url))
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', form).group(1)

    first = {"title": "Mine", "body": "Amina's text.", "module_id": modules[0], "save": "Save"}
    assert post(teacher_client, url, {**first, "revision": revision}).status_code == 302
    second = {"title": "Theirs", "body": "Second text.", "module_id": modules[0], "save": "Save"}
    response = post(other, url, {**second, "revision": revision})
    body = page(response)
    assert response.status_code == 200
    assert "Someone else saved this lesson while you were editing it." in body
    assert "Amina&#39;s text." in body  # their saved version
    assert "Second text." in body  # and yours, still in the form
    with app.app_context():
        assert db.session.get(Lesson, lessons[0]).translations[0].body_markdown == "Amina's text."
    # Saving again from the refreshed form is a deliberate overwrite, and works.
    new_revision = re.search(r'name="revision" type="hidden" value="(\d+)"', body).group(1)
    assert post(other, url, {**second, "revision": new_revision}).status_code == 302


def test_publishing_shows_the_draft_to_learners_and_later_changes_wait(
    app, teacher_client, small_draft, create_user
):
    modules, lessons = small_draft
    assert "Published" in page(publish(teacher_client))
    assert "Open data for ministries" in page(teacher_client.get("/courses"))

    learner = create_user()
    client = app.test_client()
    sign_in(client, learner)
    post_form(client, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
    post_form(client, "/courses/open-data/lessons/what-counts-as-data/complete", {},
              token_from="/courses/open-data")  # fmt: skip

    post(
        teacher_client,
        f"/teach/courses/open-data/lessons/{lessons[0]}",
        {"title": "What counts as data", "body": "A new version.", "module_id": modules[0],
         "is_required": "y", "revision": 1, "save": "Save"},
    )  # fmt: skip
    lesson_page = page(client.get("/courses/open-data/lessons/what-counts-as-data"))
    assert "Some <strong>text</strong>." in lesson_page
    assert "A new version." not in lesson_page
    assert "changes that learners do not see yet" in page(
        teacher_client.get("/teach/courses/open-data")
    )

    publish(teacher_client)
    lesson_page = page(client.get("/courses/open-data/lessons/what-counts-as-data"))
    assert "A new version." in lesson_page
    assert "You have completed this lesson." in lesson_page  # progress kept across publishing
    with app.app_context():
        assert db.session.scalar(select(Enrolment.progress_percent)) == 50


def test_deleting_a_lesson_learners_completed_says_what_is_lost(
    app, teacher_client, small_draft, create_user
):
    modules, lessons = small_draft
    publish(teacher_client)
    for _n in range(2):
        client = app.test_client()
        sign_in(client, create_user())
        post_form(client, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
        post_form(client, "/courses/open-data/lessons/open-formats/complete", {},
                  token_from="/courses/open-data")  # fmt: skip
    confirm = page(teacher_client.get(f"/teach/courses/open-data/lessons/{lessons[1]}/delete"))
    assert "2 completed lessons" in confirm
    assert "2 learners are affected." in confirm
    post(teacher_client, f"/teach/courses/open-data/lessons/{lessons[1]}/delete", {})
    post(teacher_client, f"/teach/courses/open-data/modules/{modules[1]}/delete", {})
    publish(teacher_client)
    with app.app_context():
        assert set(db.session.scalars(select(Enrolment.progress_percent))) == {0}


def test_publishing_is_refused_while_a_module_is_empty(app, teacher_client, small_draft):
    add_module(teacher_client, "Coming soon")
    response = publish(teacher_client)
    assert "The module “Coming soon” has no lesson." in page(response)
    assert find_course_count(app) == 0


def find_course_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Course.is_draft.is_(False)))


def test_editing_a_published_course_makes_its_draft_from_it(app, client, create_user, mini_course):
    admin = create_user(role="admin")
    sign_in(client, admin)
    outline = page(client.get("/teach/courses/water-basics"))
    assert "Reading meters" in outline and "Learners see the same version" in outline
    with app.app_context():
        live, copy = find_course("water-basics"), find_course("water-basics", draft=True)
        assert copy is not None and not copy.is_published
        assert len(copy.modules) == len(live.modules)
    assert "Water data basics" in page(client.get("/courses"))  # the draft is never listed


def test_co_instructors(app, teacher_client, small_draft, create_user):
    learner = create_user(email="pupil@example.org")
    co = create_user(role="instructor", email="co@example.org", name="Co Teacher")
    for email, message in [
        ("nobody@example.org", "No account uses this email address."),
        ("pupil@example.org", "Only instructor accounts can teach a course."),
        ("not an email", "Enter a valid email address"),
    ]:
        response = post(teacher_client, "/teach/courses/open-data/instructors", {"email": email},
                        follow_redirects=True)  # fmt: skip
        assert message in page(response)
    other = app.test_client()
    sign_in(other, co)
    assert other.get("/teach/courses/open-data").status_code == 403
    post(teacher_client, "/teach/courses/open-data/instructors", {"email": " CO@example.org "})
    assert other.get("/teach/courses/open-data").status_code == 200
    assert learner.id  # the learner was never added
    publish(teacher_client)
    with app.app_context():
        assert {u.email for u in find_course("open-data").instructors} == {
            "co@example.org",
            "instructor1@example.org",
        }


def test_preview_shows_the_draft_in_any_language(app, teacher_client, small_draft):
    modules, lessons = small_draft
    course_page = page(teacher_client.get("/teach/courses/open-data/preview?lang=fr"))
    assert '<html lang="fr"' in course_page
    assert "Aperçu" in course_page or "Preview" in course_page
    assert "/teach/courses/open-data/preview/lessons/what-counts-as-data?lang=fr" in course_page
    lesson_page = page(
        teacher_client.get("/teach/courses/open-data/preview/lessons/what-counts-as-data?lang=ar")
    )
    assert 'dir="rtl"' in lesson_page
    assert "Some <strong>text</strong>." in lesson_page
    assert "disabled" in lesson_page  # no progress is recorded from a preview
    assert teacher_client.get("/teach/courses/open-data/preview/lessons/nope").status_code == 404
    # An unknown language falls back to the source language rather than failing.
    assert '<html lang="en"' in page(teacher_client.get("/teach/courses/open-data/preview?lang=xx"))


def test_authoring_pages_issue_a_bounded_number_of_queries(
    app, teacher_client, small_draft, count_queries
):
    modules, lessons = small_draft

    def measure():
        counts = {}
        for url in ["/teach/courses/open-data", "/teach/courses/open-data/translations"]:
            with count_queries() as queries:
                assert teacher_client.get(url).status_code == 200
            counts[url] = len(queries)
        return counts

    before = measure()
    for number in range(4):
        add_module(teacher_client, f"Extra {number}")
        extra = ids(app, Module)[-1]
        add_lesson(teacher_client, app, extra, f"Lesson {number}")
        add_lesson(teacher_client, app, extra, f"More {number}")
    assert measure() == before
    assert max(before.values()) <= 14


def test_two_modules_created_with_one_key_at_once_give_a_message(
    app, teacher_client, small_draft, monkeypatch
):
    """A race the key check cannot see (both requests chose the same free key) ends in the
    database's unique constraint: the second instructor gets a message, not an error page."""
    from app.courses import authoring

    monkeypatch.setattr(authoring, "make_key", lambda title, taken, fallback: "finding-data")
    response = post(teacher_client, "/teach/courses/open-data/modules", {"module-title": "X"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/teach/courses/open-data"
    body = page(teacher_client.get(response.headers["Location"]))
    assert "Someone else changed this course at the same moment." in body
    assert len(ids(app, Module)) == 2


@pytest.mark.parametrize("what", ["module", "settings"])
def test_a_stale_save_of_a_module_or_the_settings_is_refused(
    app, teacher_client, small_draft, what
):
    modules, _lessons = small_draft
    if what == "module":
        url, field, data = f"/teach/courses/open-data/modules/{modules[0]}", "title", {}
    else:
        url, field, data = "/teach/courses/open-data/settings", "title", {
            "summary": "S", "level": "beginner", "estimated_hours": "2"}  # fmt: skip
    assert post(teacher_client, url, {**data, field: "First", "revision": 1}).status_code == 302
    response = post(teacher_client, url, {**data, field: "Second", "revision": 1})
    assert response.status_code == 200
    assert "while you were editing it" in page(response)
    assert "First" in page(response) and "Second" in page(response)
    outline = page(teacher_client.get("/teach/courses/open-data"))
    assert "Second" not in outline
