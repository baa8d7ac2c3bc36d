"""Enrolling, reading lessons, marking them complete and picking up where one stopped."""

import threading

import pytest
from sqlalchemy import func, select

from app.courses.models import Course, Lesson
from app.extensions import db
from app.learning import services
from app.learning.models import Enrolment, LessonProgress
from tests.conftest import post_form, sign_in

COURSE = "/courses/water-basics"


def enrol(client, code: str = "", **kwargs):
    return post_form(client, f"{COURSE}/enrol", {"cohort_code": code}, token_from=COURSE, **kwargs)


def complete(client, key: str):
    return post_form(client, f"{COURSE}/lessons/{key}/complete", {}, token_from=COURSE)


def enrolments(app) -> list[Enrolment]:
    with app.app_context():
        return list(db.session.scalars(select(Enrolment)))


@pytest.fixture
def learner(client, create_user, mini_course):
    user = create_user(locale="en")
    sign_in(client, user)
    return user


@pytest.fixture
def cohort_code(app, mini_course):
    with app.app_context():
        course = db.session.scalar(select(Course))
        cohort = services.create_cohort("Nairobi water 2026", [course], country="KE")
        db.session.commit()
        return cohort.join_code


def test_enrolling_opens_the_first_lesson(app, client, learner):
    response = enrol(client)
    assert response.headers["Location"] == f"{COURSE}/lessons/reading-meters"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are enrolled" in page and "<h1>Reading meters</h1>" in page
    assert len(enrolments(app)) == 1


def test_enrolling_twice_says_so_and_changes_nothing(app, client, learner):
    enrol(client)
    response = enrol(client)
    assert response.headers["Location"] == COURSE
    assert "You are already enrolled in this course." in client.get(COURSE).get_data(as_text=True)
    assert len(enrolments(app)) == 1


def test_a_cohort_code_may_be_typed_loosely(app, client, learner, cohort_code):
    typed = f" {cohort_code[:4].lower()}-{cohort_code[4:]} "
    enrol(client, typed)
    (enrolment,) = enrolments(app)
    assert enrolment.cohort_id is not None


def test_a_wrong_cohort_code_is_refused_and_nothing_changes(app, client, learner, cohort_code):
    response = enrol(client, "ZZZZ-ZZZZ", headers={"Accept-Language": "en"})
    assert response.headers["Location"] == COURSE
    assert "No cohort has this code" in client.get(COURSE).get_data(as_text=True)
    enrol(client, "x" * 21)
    assert enrolments(app) == []


def test_a_cohort_code_for_another_course_is_refused(app, client, learner, course_root):
    from tests.conftest import import_folder, write_course

    write_course(course_root, slug="other-course")
    import_folder(app, course_root)
    with app.app_context():
        other = db.session.scalar(select(Course).where(Course.slug == "other-course"))
        code = services.create_cohort("Other", [other]).join_code
        db.session.commit()
    enrol(client, code)
    assert "This cohort code is for another course." in client.get(COURSE).get_data(as_text=True)
    assert enrolments(app) == []


def test_signed_out_visitors_are_sent_to_sign_in(client, mini_course):
    response = client.post(f"{COURSE}/enrol")
    assert response.status_code in {302, 400}
    lesson = client.get(f"{COURSE}/lessons/leaks")
    assert lesson.headers["Location"].startswith("/sign-in")


def test_lessons_need_an_enrolment(client, learner):
    response = client.get(f"{COURSE}/lessons/leaks")
    assert response.headers["Location"] == COURSE
    assert complete(client, "leaks").headers["Location"] == COURSE


def test_unknown_lessons_and_courses_are_404(client, learner):
    enrol(client)
    assert client.get(f"{COURSE}/lessons/nope").status_code == 404
    assert client.get("/courses/nope/lessons/leaks").status_code == 404
    assert complete(client, "nope").status_code == 404


def test_completing_lessons_moves_on_and_counts_only_required_ones(app, client, learner):
    enrol(client)
    response = complete(client, "reading-meters")
    assert response.headers["Location"] == f"{COURSE}/lessons/leaks"
    complete(client, "reading-meters")  # twice: counted once
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1
    complete(client, "leaks")
    complete(client, "history")  # optional
    (enrolment,) = enrolments(app)
    assert enrolment.progress_percent == 66 and enrolment.completed_at is None
    response = complete(client, "monthly-report")
    assert response.headers["Location"] == COURSE
    (enrolment,) = enrolments(app)
    assert enrolment.progress_percent == 100 and enrolment.completed_at is not None
    page = client.get(COURSE).get_data(as_text=True)
    assert "Congratulations! You have completed this course." in page
    assert "You completed this course on" in page


def test_marking_lessons_records_when_the_learner_started_and_was_last_active(app, client, learner):
    enrol(client)
    complete(client, "reading-meters")
    (first,) = enrolments(app)
    assert first.started_at is not None and first.last_activity_at == first.started_at
    complete(client, "leaks")
    (later,) = enrolments(app)
    assert later.started_at == first.started_at, "the start is the first lesson's"
    assert later.last_activity_at > first.last_activity_at


def test_a_lesson_shows_whether_it_is_done_and_links_its_neighbours(client, learner):
    enrol(client)
    page = client.get(f"{COURSE}/lessons/leaks").get_data(as_text=True)
    assert "Mark as complete" in page
    assert f'rel="prev" href="{COURSE}/lessons/reading-meters"' in page
    assert f'rel="next" href="{COURSE}/lessons/history"' in page
    complete(client, "leaks")
    page = client.get(f"{COURSE}/lessons/leaks").get_data(as_text=True)
    assert "You have completed this lesson." in page and "Mark as complete" not in page
    # Across modules: the last lesson of "Meters" leads to the first of "Reports".
    page = client.get(f"{COURSE}/lessons/history").get_data(as_text=True)
    assert f'rel="next" href="{COURSE}/lessons/monthly-report"' in page


def test_a_lesson_missing_in_the_readers_language_shows_the_source_with_a_notice(
    app, client, create_user, mini_course
):
    sign_in(client, create_user(locale="fr"))
    enrol(client)
    french = client.get(f"{COURSE}/lessons/leaks").get_data(as_text=True)
    assert "Trouver les fuites" in french and 'class="notice"' not in french
    missing = client.get(f"{COURSE}/lessons/monthly-report").get_data(as_text=True)
    assert 'class="notice"' in missing
    assert 'class="lesson-body" lang="en" dir="ltr"' in missing


def test_the_dashboard_lists_my_courses_and_where_to_continue(client, learner):
    assert "You are not enrolled in any course yet." in client.get("/dashboard").get_data(
        as_text=True
    )
    enrol(client)
    complete(client, "reading-meters")
    complete(client, "leaks")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Water data basics" in page
    assert '<progress max="100" value="66"' in page
    assert f'href="{COURSE}/lessons/history"' in page, "continue at the first unfinished lesson"


def test_pages_run_a_fixed_number_of_queries(app, client, learner, count_queries, course_root):
    from tests.conftest import import_folder, write_course

    enrol(client)
    with count_queries() as dashboard:
        client.get("/dashboard")
    with count_queries() as cold:
        client.get(f"{COURSE}/lessons/leaks")
    with count_queries() as lesson:  # the published course's outline and text are cached now
        client.get(f"{COURSE}/lessons/leaks")
    write_course(course_root, slug="second-course")
    import_folder(app, course_root)
    post_form(client, "/courses/second-course/enrol", {}, token_from="/courses/second-course")
    complete(client, "reading-meters")
    with count_queries() as dashboard_two:
        client.get("/dashboard")
    with count_queries() as lesson_two:
        client.get(f"{COURSE}/lessons/leaks")
    assert len(dashboard) == len(dashboard_two) <= 6
    assert len(cold) <= 11, cold
    # The user, then the course with the learner's enrolment and whether the lesson is done.
    assert len(lesson) == len(lesson_two) == 2, lesson


def test_concurrent_marks_lose_nothing(app, mini_course, create_user):
    """Parallel requests for the same learner: every lesson counts, duplicates once."""
    user = create_user()
    with app.test_request_context():
        course = db.session.scalar(select(Course))
        services.enrol(user.id, course)
        db.session.commit()
        keys = list(db.session.scalars(select(Lesson.key).order_by(Lesson.id)))
    clients = []
    for _ in range(6):
        client = app.test_client()
        sign_in(client, user)
        clients.append(client)
    errors = []

    def mark(client, key):
        lesson = f"{COURSE}/lessons/{key}"
        try:
            response = post_form(client, f"{lesson}/complete", {}, token_from=lesson)
            assert response.status_code == 302
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(error)

    jobs = [(clients[i], keys[i % len(keys)]) for i in range(6)]
    threads = [threading.Thread(target=mark, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (enrolment,) = enrolments(app)
    assert enrolment.progress_percent == 100
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 4


def test_a_republished_course_is_read_at_once_despite_the_cache(app, client, learner, mini_course):
    """Outlines and lesson texts of published courses are cached per server; an import that
    changes the course is seen on the very next page."""
    from tests.conftest import import_folder

    enrol(client)
    page = client.get(f"{COURSE}/lessons/leaks").get_data(as_text=True)
    assert "Compare night and day." in page and "Finding leaks" in page
    lesson = mini_course / "lessons" / "en" / "leaks.md"
    lesson.write_text("# Finding every leak\n\nListen to the pipes at night.\n", encoding="utf-8")
    import_folder(app, mini_course.parent)
    page = client.get(f"{COURSE}/lessons/leaks").get_data(as_text=True)
    assert "Listen to the pipes at night." in page and "Compare night and day." not in page
    assert "Finding every leak" in client.get(f"{COURSE}/lessons/history").get_data(as_text=True)
    # An import that changes nothing keeps the version, and with it the cache.
    with app.app_context():
        version = db.session.scalar(select(Course.content_version))
    import_folder(app, mini_course.parent)
    with app.app_context():
        assert db.session.scalar(select(Course.content_version)) == version
