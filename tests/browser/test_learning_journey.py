"""A learner on a phone with JavaScript off: find a course in French, enrol, read and complete
three lessons, leave, come back and continue; the same pages in Arabic mirror; a lesson with
no Swahili text shows the fallback notice. Uses the real seed courses."""

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_FLAGS, PHONE  # noqa: F401 - documents the setup
from tests.conftest import PASSWORD, import_folder

pytestmark = pytest.mark.browser
COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def seed_courses(app):
    import_folder(app, COURSES)


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page with JavaScript disabled (axe still runs through DevTools)."""
    from tests.browser.conftest import Auditor

    context = browser.new_context(
        viewport=PHONE, base_url=live_server, java_script_enabled=False, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = Auditor(page, browser)
    yield page
    auditor = page.audit
    context.close()
    assert not auditor.visited - auditor.audited - {"about:blank"}
    assert not auditor.console_errors


def visit(page, url):
    page.goto(url)
    page.audit()


def click(page, selector):
    page.locator(selector).first.click()
    page.audit()


def sign_in(page, email):
    visit(page, "/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    click(page, "form.stacked button[type=submit]")


def test_french_learner_reads_three_lessons_leaves_and_continues(page, create_user, seed_courses):
    create_user(email="aminata@example.org", locale="fr", name="Aminata Sow")
    sign_in(page, "aminata@example.org")
    assert page.locator("html").get_attribute("lang") == "fr"

    visit(page, "/courses?language=fr")
    click(page, "a[href='/courses/ai-foundations']")
    assert "fondamentaux" in page.locator("h1").inner_text().lower() or page.locator("h1").count()
    click(page, "form[action='/courses/ai-foundations/enrol'] button")
    read = []
    for _ in range(3):
        read.append(page.url.rsplit("/", 1)[-1])
        assert page.locator(".lesson-body h2").count() >= 1, "the lesson text is there"
        assert page.locator(".notice").count() == 0, "the lesson exists in French"
        click(page, "form[action$='/complete'] button")
    assert read == ["what-ai-is-and-is-not", "how-machines-learn", "data-the-raw-material"]

    # Leave: sign out, and come back later.
    click(page, "form[action='/sign-out'] button")
    sign_in(page, "aminata@example.org")
    assert page.url.endswith("/dashboard")
    # 3 of 16 required items: 11 lessons and 5 quizzes (4 modules and the final).
    assert page.locator("progress").first.get_attribute("value") == "18"
    click(page, "a.button[href*='/lessons/']")
    assert page.url.endswith("/courses/ai-foundations/lessons/how-generative-ai-works")


def test_arabic_lesson_pages_are_right_to_left(page, create_user, seed_courses):
    create_user(email="karim@example.org", locale="ar", name="Karim Mansour")
    sign_in(page, "karim@example.org")
    visit(page, "/courses/ai-foundations")
    click(page, "form[action='/courses/ai-foundations/enrol'] button")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".lesson-body").get_attribute("dir") == "rtl"
    heading = page.locator("h1").bounding_box()
    assert heading["x"] + heading["width"] > PHONE["width"] - 40, "text starts at the right"
    nxt = page.locator("a[rel=next]").bounding_box()
    assert nxt["x"] < PHONE["width"] / 2, "in RTL the 'next' link sits on the left"


def test_a_lesson_missing_in_swahili_shows_the_fallback_notice(page, create_user, seed_courses):
    create_user(email="neema@example.org", locale="sw", name="Neema Mushi")
    sign_in(page, "neema@example.org")
    visit(page, "/courses/responsible-ai")
    click(page, "form[action='/courses/responsible-ai/enrol'] button")
    assert page.locator(".notice").is_visible()
    body = page.locator(".lesson-body")
    assert body.get_attribute("lang") == "en" and body.get_attribute("dir") == "ltr"
