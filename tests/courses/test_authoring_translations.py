"""Translations side by side: the status table, the editor, what changed, reviewing."""

import re

from sqlalchemy import select

from app.courses.models import Lesson, LessonTranslation
from app.extensions import db
from tests.conftest import post_form, sign_in
from tests.courses.conftest import page, post, publish


def lesson_url(lessons, locale="fr"):
    return f"/teach/courses/open-data/translations/{locale}/lesson/{lessons[0]}"


def revision_in(body: str) -> str:
    return re.search(r'name="revision" type="hidden" value="(\d*)"', body).group(1)


def translate_lesson(client, lessons, title, body, revision=""):
    return post(
        client,
        lesson_url(lessons),
        {"title": title, "body_markdown": body, "revision": revision},
    )


def cell(table: str, kind: str, item_id: int, locale_index: int) -> str:
    row = re.search(rf'<tr id="{kind}-{item_id}">(.*?)</tr>', table, re.S).group(1)
    return re.findall(r'<td class="status-([a-z-]+)">', row)[locale_index]


def test_the_table_shows_each_items_status_and_a_percentage_per_language(
    app, teacher_client, small_draft
):
    modules, lessons = small_draft
    table = page(teacher_client.get("/teach/courses/open-data/translations"))
    # Seven languages besides the English source; five items (course, 2 modules, 2 lessons).
    assert table.count('class="status-missing"') == 7 * 5
    assert (
        translate_lesson(teacher_client, lessons, "Ce qui compte", "Du **texte**.").status_code
        == 302
    )
    table = page(teacher_client.get("/teach/courses/open-data/translations"))
    french = 0  # the languages follow LOCALES, without the source
    assert cell(table, "lesson", lessons[0], french) == "done"
    assert "<td>20%</td>" in table  # one item of five in French


def test_translating_changing_the_source_and_reviewing(app, teacher_client, small_draft):
    modules, lessons = small_draft
    translate_lesson(teacher_client, lessons, "Ce qui compte", "Du **texte** simple.")
    editor = page(teacher_client.get(lesson_url(lessons)))
    assert "Some **text**." in editor  # the source beside the translation
    assert "Du **texte** simple." in editor

    source_revision = 1
    post(
        teacher_client,
        f"/teach/courses/open-data/lessons/{lessons[0]}",
        {"title": "What counts as data", "body": "Some **useful** text.",
         "module_id": modules[0], "is_required": "y", "revision": source_revision,
         "save": "Save"},
    )  # fmt: skip
    editor = page(teacher_client.get(lesson_url(lessons)))
    assert "out of date" in editor
    assert "Some <del>**text**.</del><ins>**useful** text.</ins>" in editor
    table = page(teacher_client.get("/teach/courses/open-data/translations"))
    assert cell(table, "lesson", lessons[0], 0) == "out-of-date"

    response = post(teacher_client, lesson_url(lessons) + "/reviewed", {})
    assert response.status_code == 302
    table = page(teacher_client.get("/teach/courses/open-data/translations"))
    assert cell(table, "lesson", lessons[0], 0) == "done"


def test_learners_see_the_translation_and_its_staleness_once_published(
    app, teacher_client, small_draft, create_user
):
    modules, lessons = small_draft
    translate_lesson(teacher_client, lessons, "Ce qui compte", "Du **texte**.")
    publish(teacher_client)
    learner = app.test_client()
    sign_in(learner, create_user(locale="fr"))
    post_form(learner, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
    lesson_page = page(learner.get("/courses/open-data/lessons/what-counts-as-data"))
    assert "Du <strong>texte</strong>." in lesson_page
    assert "peut ne plus être à jour" not in lesson_page

    post(
        teacher_client,
        f"/teach/courses/open-data/lessons/{lessons[0]}",
        {"title": "What counts as data", "body": "Rewritten.", "module_id": modules[0],
         "is_required": "y", "revision": 1, "save": "Save"},
    )  # fmt: skip
    publish(teacher_client)
    lesson_page = page(learner.get("/courses/open-data/lessons/what-counts-as-data"))
    assert "Du <strong>texte</strong>." in lesson_page
    with app.app_context():
        row = db.session.scalar(select(LessonTranslation).where(LessonTranslation.locale == "fr"))
        lesson = db.session.get(Lesson, row.lesson_id)
        assert row.is_out_of_date(lesson.source_version)


def test_two_translators_on_the_same_translation(app, teacher_client, small_draft, create_user):
    modules, lessons = small_draft
    translate_lesson(teacher_client, lessons, "Version un", "Premier texte.")
    revision = revision_in(page(teacher_client.get(lesson_url(lessons))))
    assert (
        translate_lesson(teacher_client, lessons, "Version deux", "Deuxième.", revision).status_code
        == 302
    )
    response = translate_lesson(teacher_client, lessons, "Version trois", "Troisième.", revision)
    body = page(response)
    assert "Someone else saved this translation" in body
    assert "Deuxième." in body and "Troisième." in body
    with app.app_context():
        row = db.session.scalar(select(LessonTranslation).where(LessonTranslation.locale == "fr"))
        assert row.body_markdown == "Deuxième."


def test_bad_translations_are_refused_and_change_nothing(app, teacher_client, small_draft):
    modules, lessons = small_draft
    for title, body, message in [
        ("", "Texte.", "This field is required."),
        ("Titre", "<b>gras</b>", "Line 1:"),
        ("T" * 201, "Texte.", "Use at most 200 characters."),
    ]:
        response = translate_lesson(teacher_client, lessons, title, body)
        assert response.status_code == 200
        assert message in page(response)
    assert teacher_client.get(lesson_url(lessons, "en")).status_code == 404  # the source
    assert teacher_client.get(lesson_url(lessons, "xx")).status_code == 404
    assert (
        teacher_client.get("/teach/courses/open-data/translations/fr/lesson/999").status_code == 404
    )
    assert (
        teacher_client.get("/teach/courses/open-data/translations/fr/riddle/1").status_code == 404
    )
    with app.app_context():
        assert (
            db.session.scalar(select(LessonTranslation).where(LessonTranslation.locale == "fr"))
            is None
        )


def test_a_question_translation_keeps_the_answers_structure(app, teacher_client, small_draft):
    from tests.courses.test_authoring_questions import QUESTIONS, QUIZ

    modules, lessons = small_draft
    post(teacher_client, f"/teach/courses/open-data/modules/{modules[0]}/quiz", QUIZ)
    with app.app_context():
        from app.assessments.models import Question, Quiz

        quiz_id = db.session.scalar(select(Quiz.id))
    post(teacher_client, f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind=single",
         QUESTIONS["single"])  # fmt: skip
    with app.app_context():
        question_id = db.session.scalar(select(Question.id))
    url = f"/teach/courses/open-data/translations/fr/question/{question_id}"
    assert "Which format is open?" in page(teacher_client.get(url))
    data = {"text": "Quel format est ouvert ?", "options-0-text": "CSV",
            "options-0-feedback": "Oui.", "options-1-text": "XLSB", "general_feedback": "",
            "revision": ""}  # fmt: skip
    assert post(teacher_client, url, {**data, "options-1-text": ""}).status_code == 200
    assert post(teacher_client, url, data).status_code == 302
    with app.app_context():
        question = db.session.get(Question, question_id)
        french = next(row for row in question.translations if row.locale == "fr")
        assert [option["text"] for option in french.options] == ["CSV", "XLSB"]
