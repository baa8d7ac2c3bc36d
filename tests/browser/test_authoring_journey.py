"""An instructor, with JavaScript off on a phone, builds a two-module course with lessons, a
quiz of three kinds of question and a French translation, previews it in French and
publishes it; a French-speaking learner then finds it, reads it and passes the quiz."""

import re

import pytest

from tests.browser.conftest import PHONE, Auditor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
TEACH = "/teach/courses/open-data"


@pytest.fixture
def no_js_page(browser, live_server):
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


def fill(page, values: dict):
    for selector, value in values.items():
        page.locator(selector).fill(value)


def flash(page) -> str:
    return page.locator(".flash").first.inner_text()


def add_question(page, quiz_url, kind, values, selects=None):
    visit(page, quiz_url)
    page.locator("#kind").select_option(kind)
    click(page, "form[method=get] button[type=submit]")
    fill(page, values)
    for selector, value in (selects or {}).items():
        page.locator(selector).select_option(value)
    click(page, "form.stacked button[type=submit]")
    assert flash(page) == "Question added."


def translate(page, link, values):
    click(page, link)
    fill(page, values)
    click(page, "form.stacked button[type=submit]")
    assert flash(page) == "Translation saved."


def test_instructor_builds_translates_previews_and_publishes_a_learner_takes_it(
    no_js_page, browser, live_server, create_user
):
    page = no_js_page
    create_user(role="instructor", email="teacher@example.org", name="Fatou Diop")
    create_user(email="learner@example.org", locale="fr", name="Aminata Sow")
    sign_in(page, "teacher@example.org")

    # The course and its two modules, each with a lesson.
    click(page, "a[href='/teach']")
    click(page, "a[href='/teach/new']")
    fill(page, {"#title": "Open data for ministries", "#slug": "open-data",
                "#summary": "Publishing data people can use.",
                "#estimated_hours": "1.5"})  # fmt: skip
    page.locator("#source_locale").select_option("en")
    click(page, "form.stacked button[type=submit]")
    assert page.url.endswith(TEACH)
    for title in ("Using data", "Finding data"):
        page.locator("#module-title").fill(title)
        click(page, f"form[action='{TEACH}/modules'] button")
    # The module added last goes first: the move buttons work without JavaScript.
    click(page, "form[action$='/move'] button[value=up] >> nth=1")
    modules = page.locator(".authoring-outline > li h3").all_inner_texts()
    assert modules == ["Finding data", "Using data"]

    lessons = [
        ("What counts as data", "## Tables\n\nA **spreadsheet** of clinic visits is data."),
        ("Open formats", "Publish tables as CSV, which any program can read."),
    ]
    for index, (title, body) in enumerate(lessons):
        click(page, f".authoring-outline > li >> nth={index} >> a[href$='/lessons/new']")
        fill(page, {"#title": title, "#body": body})
        if index == 0:
            click(page, "#preview")  # rendered by the server, not saved yet
            assert page.locator(".lesson-body strong").inner_text() == "spreadsheet"
        click(page, "#save")
        assert flash(page) == "Lesson added."

    # A quiz of three kinds of question on the first module, answers in a fixed order.
    click(page, ".authoring-outline > li >> nth=0 >> a[href$='/quiz']")
    page.locator("#shuffle").uncheck()
    page.locator("#pass_mark").fill("60")
    click(page, "form.stacked button[type=submit]")
    quiz_url = page.url
    add_question(page, quiz_url, "single", {
        "#text": "Which format can any program read?",
        "#answers-0-text": "CSV", "#answers-0-grade": "100",
        "#answers-1-text": "A scanned PDF", "#answers-1-grade": "0",
    })  # fmt: skip
    add_question(page, quiz_url, "truefalse", {"#text": "A scanned table is open data."},
                 selects={"#truth": "false"})  # fmt: skip
    add_question(page, quiz_url, "short", {
        "#text": "Name the simple open format for tables.", "#answers-0-text": "CSV",
    })  # fmt: skip
    visit(page, TEACH)
    assert "Quiz (3 questions)" in page.locator(".authoring-outline").inner_text()

    # French, item by item, from the translation table.
    visit(page, f"{TEACH}/translations")
    assert page.locator("td.status-missing").count() == 7 * 8
    french = {
        "course": {"#title": "Données ouvertes pour les ministères",
                   "#summary": "Publier des données que les gens peuvent utiliser."},
        "Finding data": {"#title": "Trouver des données"},
        "Using data": {"#title": "Utiliser les données"},
        "What counts as data": {"#title": "Ce qui compte comme donnée",
                                "#body_markdown": "## Tableaux\n\nUn **tableur** de visites "
                                                  "en clinique est une donnée."},
        "Open formats": {"#title": "Formats ouverts",
                         "#body_markdown": "Publiez les tableaux en CSV, lisible partout."},
        "Which format": {"#text": "Quel format tout logiciel peut-il lire ?",
                         "#options-0-text": "CSV", "#options-1-text": "Un PDF numérisé"},
        "A scanned table": {"#text": "Un tableau numérisé est une donnée ouverte."},
        "Name the simple": {"#text": "Nommez le format ouvert simple pour les tableaux.",
                            "#options-0-text": "CSV"},
    }  # fmt: skip
    for label, values in french.items():
        row = "tbody tr >> nth=0" if label == "course" else f"tbody tr:has(th:has-text('{label}'))"
        translate(page, f"{row} >> td >> nth=0 >> a", values)  # French is the first column
    assert page.locator("tbody td.status-done").count() == 8
    assert page.locator("thead td").first.inner_text() == "100%"

    # Preview in French, as a learner would see it, then publish.
    visit(page, f"{TEACH}/preview?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Données ouvertes pour les ministères"
    click(page, "a:has-text('Ce qui compte comme donnée')")
    assert page.locator(".lesson-body strong").inner_text() == "tableur"
    click(page, ".preview-banner a")
    click(page, f"form[action='{TEACH}/publish'] button")
    assert flash(page) == "Published: learners now see this version."

    # A French learner finds it in French, reads the lesson and passes the quiz.
    learner_context = browser.new_context(
        viewport=PHONE, base_url=live_server, java_script_enabled=False, locale="fr-FR"
    )
    learner = learner_context.new_page()
    learner.set_default_timeout(10_000)
    learner.audit = Auditor(learner, browser)
    sign_in(learner, "learner@example.org")
    visit(learner, "/courses?language=fr")
    click(learner, "a:has-text('Données ouvertes pour les ministères')")
    click(learner, "form[action$='/enrol'] button")  # and on to the first lesson
    assert learner.locator("h1").inner_text() == "Ce qui compte comme donnée"
    assert "visites en clinique" in learner.locator(".lesson-body").inner_text()
    click(learner, "form[action$='/complete'] button")
    visit(learner, "/courses/open-data/quizzes/finding-data")
    click(learner, "form[action$='/start'] button")
    assert "Quel format tout logiciel peut-il lire ?" in learner.content()
    learner.get_by_label("CSV", exact=True).check()
    learner.get_by_label("Faux", exact=True).check()
    learner.locator("input[type=text]").fill("csv")
    click(learner, "button[value=submit]")
    assert re.search(r"100\s?%", learner.locator(".panel").first.inner_text())
    auditor = learner.audit
    learner_context.close()
    assert not auditor.visited - auditor.audited - {"about:blank"}
