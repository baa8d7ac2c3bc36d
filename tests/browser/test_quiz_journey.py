"""A learner on a phone takes a module quiz, fails, retries and passes; the final
assessment then completes the course."""

import pytest

from tests.assessments.conftest import write_quiz_course
from tests.assessments.test_quizzes import right_answers
from tests.conftest import PASSWORD, import_folder

pytestmark = pytest.mark.browser
COURSE = "/courses/water-basics"


@pytest.fixture
def course(app, course_root):
    write_quiz_course(course_root, essay=False)
    import_folder(app, course_root)


def click(page, selector):
    page.locator(selector).first.click()
    page.audit()


def sign_in(page, email):
    page.goto("/sign-in")
    page.audit()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    click(page, "form.stacked button[type=submit]")


def answer_everything_right(page, app):
    attempt_id = int(page.url.rsplit("/", 1)[1])
    for name, value in right_answers(app, attempt_id).items():
        if isinstance(value, list):
            for each in value:
                page.locator(f"input[name='{name}'][value='{each}']").check()
        elif page.locator(f"select[name='{name}']").count():
            page.locator(f"select[name='{name}']").select_option(value)
        elif page.locator(f"input[type=radio][name='{name}']").count():
            page.locator(f"input[name='{name}'][value='{value}']").check()
        else:
            page.locator(f"[name='{name}']").fill(value)


def test_fail_retry_pass_then_the_final_assessment_completes_the_course(
    page, app, create_user, course
):
    create_user(email="learner@example.org")
    sign_in(page, "learner@example.org")
    page.goto(COURSE)
    page.audit()
    click(page, f"form[action='{COURSE}/enrol'] button")
    for _ in range(4):  # every lesson, the optional one included
        click(page, "form[action$='/complete'] button")

    page.goto(f"{COURSE}/quizzes/meters")
    page.audit()
    click(page, "form[action$='/start'] button")
    click(page, "button[value=submit]")
    assert "Not passed" in page.locator(".panel").inner_text()

    click(page, ".breadcrumb a")
    click(page, "form[action$='/start'] button")
    answer_everything_right(page, app)
    click(page, "button[value=submit]")
    assert "Passed with 100" in page.locator(".panel").inner_text()

    page.goto(f"{COURSE}/quizzes/final")
    page.audit()
    click(page, "form[action$='/start'] button")
    answer_everything_right(page, app)
    click(page, "button[value=submit]")
    assert "Passed" in page.locator(".panel").inner_text()

    page.goto("/dashboard")
    page.audit()
    assert page.locator("progress").get_attribute("value") == "100"
    assert "Completed on" in page.locator(".card").inner_text()


def test_an_instructor_imports_a_gift_file_through_the_preview(
    page, app, runner, create_user, course, tmp_path
):
    teacher = create_user(role="instructor", email="teacher@example.org")
    runner.invoke(
        args=["lms", "add-instructor", "--course", "water-basics", "--email", teacher.email]
    )
    sign_in(page, "teacher@example.org")
    page.goto(COURSE)
    page.audit()
    click(page, "a[href='/teach/courses/water-basics']")  # "Edit this course"
    click(page, "a[href$='/questions/import']")

    broken = tmp_path / "broken.gift"
    broken.write_text("::a:: Unclosed {=yes ~no\n", encoding="utf-8")
    page.locator("#bank").set_input_files(str(broken))
    click(page, "form[enctype] button[type=submit]")
    assert "Line 1:" in page.locator(".error-summary").inner_text()
    assert page.locator("form[action$='/confirm']").count() == 0

    good = tmp_path / "good.gift"
    good.write_text(
        "$CATEGORY: meters\n\n::m-new:: Is a dripping tap a leak? {TRUE}\n", encoding="utf-8"
    )
    page.locator("#bank").set_input_files(str(good))
    click(page, "form[enctype] button[type=submit]")
    assert "m-new" in page.locator("table").inner_text()
    click(page, "form[action$='/confirm'] button")
    assert "1 question imported." in page.locator(".flash").inner_text()
