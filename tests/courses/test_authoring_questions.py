"""Quizzes and questions made in the browser: every kind, its rules, and what learners get."""

import pytest
from sqlalchemy import func, select

from app.assessments.models import Question, Quiz
from app.extensions import db
from tests.courses.conftest import page, post, publish

QUIZ = {"is_required": "y", "pass_mark": "60", "shuffle": "y", "review": "answers",
        "grading": "best"}  # fmt: skip


def rows(*answers: dict) -> dict:
    data = {}
    for index, answer in enumerate(answers):
        for name, value in answer.items():
            data[f"answers-{index}-{name}"] = value
    return data


QUESTIONS = {
    "single": {
        "text": "Which format is open?",
        **rows({"text": "CSV", "grade": "100", "feedback": "Yes."}, {"text": "XLSB", "grade": "0"}),
    },
    "multiple": {
        "text": "Which are personal data?",
        **rows(
            {"text": "A name", "grade": "50"},
            {"text": "A phone number", "grade": "50"},
            {"text": "Rainfall", "grade": "-100"},
        ),
    },
    "truefalse": {
        "text": "CSV is a closed format.",
        "truth": "false",
        "false_feedback": "Right.",
        "true_feedback": "No: it is open.",
    },  # fmt: skip
    "short": {
        "text": "The three-letter open table format?",
        "ignore_accents": "y",
        **rows({"text": "CSV"}, {"text": "TSV", "grade": "50"}),
    },  # fmt: skip
    "numerical": {"text": "How many bits in a byte?", **rows({"number": "8", "tolerance": "0"})},
    "matching": {
        "text": "Match the format to its kind.",
        **rows(
            {"text": "CSV", "match": "table"},
            {"text": "GeoJSON", "match": "map"},
            {"text": "PNG", "match": "image"},
        ),
    },
    "essay": {"text": "Describe one dataset your ministry could open."},
    "description": {"text": "The next questions are about formats."},
}


@pytest.fixture
def quiz_id(app, teacher_client, small_draft):
    modules, _lessons = small_draft
    url = f"/teach/courses/open-data/modules/{modules[0]}/quiz"
    assert post(teacher_client, url, QUIZ).status_code == 302
    with app.app_context():
        return db.session.scalar(select(Quiz.id))


def question_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
def test_every_kind_of_question_can_be_made_and_edited(app, teacher_client, quiz_id, kind):
    url = f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind={kind}"
    assert teacher_client.get(url).status_code == 200
    response = post(teacher_client, url, QUESTIONS[kind])
    assert response.status_code == 302, page(response)
    with app.app_context():
        question = db.session.scalar(select(Question))
        assert question.kind == kind
        assert question.category == "finding-data"
        question_id, revision = question.id, question.revision
    edit = f"/teach/courses/open-data/questions/{question_id}"
    form = page(teacher_client.get(edit))
    assert QUESTIONS[kind]["text"] in form
    changed = {**QUESTIONS[kind], "text": "Changed words.", "revision": revision}
    assert post(teacher_client, edit, changed).status_code == 302
    with app.app_context():
        assert db.session.get(Question, question_id).translations[0].text == "Changed words."


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("single", {"text": "Q?", **rows({"text": "A", "grade": "0"}, {"text": "B"})},
         "right answer"),
        ("matching", {"text": "Q?", **rows({"text": "a", "match": "b"})}, "three"),
        ("numerical", {"text": "Q?"}, "number"),
        ("single", {"text": "", **rows({"text": "A", "grade": "100"})}, "This field is required."),
        ("single", {"text": "Q?", **rows({"text": "A", "grade": "500"})}, "from -100 to 100"),
        ("numerical", {"text": "Q?", **rows({"number": "eight"})}, "Not a valid decimal value."),
    ],
)  # fmt: skip
def test_bad_questions_are_refused_with_a_reason(app, teacher_client, quiz_id, kind, data, message):
    url = f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind={kind}"
    response = post(teacher_client, url, data)
    assert response.status_code == 200
    assert message in page(response)
    assert question_count(app) == 0


def test_an_unknown_kind_is_refused(app, teacher_client, quiz_id):
    url = f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind=riddle"
    response = teacher_client.get(url, follow_redirects=True)
    assert "Choose a kind of question." in page(response)


def test_bad_quiz_settings_are_refused(app, teacher_client, small_draft):
    modules, _lessons = small_draft
    url = f"/teach/courses/open-data/modules/{modules[0]}/quiz"
    for field, value in [("pass_mark", "101"), ("max_attempts", "0"), ("time_limit", "x"),
                         ("review", "everything")]:  # fmt: skip
        response = post(teacher_client, url, {**QUIZ, field: value})
        assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0


def test_a_quiz_without_questions_stops_publishing_then_learners_take_it(
    app, teacher_client, quiz_id, create_user
):
    from tests.conftest import post_form, sign_in

    assert "has no questions" in page(publish(teacher_client))
    base = f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind="
    for kind in ("single", "truefalse", "short"):
        assert post(teacher_client, base + kind, QUESTIONS[kind]).status_code == 302
    assert "Published" in page(publish(teacher_client))

    learner = app.test_client()
    sign_in(learner, create_user())
    post_form(learner, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
    quiz_page = page(learner.get("/courses/open-data/quizzes/finding-data"))
    assert "60" in quiz_page  # the pass mark set in the browser
    start = post_form(learner, "/courses/open-data/quizzes/finding-data/start", {},
                      token_from="/courses/open-data/quizzes/finding-data")  # fmt: skip
    attempt = page(learner.get(start.headers["Location"]))
    assert "Which format is open?" in attempt and "CSV is a closed format." in attempt
    assert "Yes." not in attempt  # no feedback (nor answers) before submitting


def test_the_quiz_preview_shows_its_questions_without_recording_anything(
    app, teacher_client, quiz_id
):
    post(teacher_client, f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind=single",
         QUESTIONS["single"])  # fmt: skip
    preview = page(teacher_client.get("/teach/courses/open-data/preview/quizzes/finding-data"))
    assert "Which format is open?" in preview
    assert "disabled" in preview
    with app.app_context():
        from app.assessments.models import Attempt

        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_deleting_a_quiz_removes_its_questions(app, teacher_client, quiz_id):
    post(teacher_client, f"/teach/courses/open-data/quizzes/{quiz_id}/questions/new?kind=essay",
         QUESTIONS["essay"])  # fmt: skip
    assert "No learner has progress" in page(
        teacher_client.get(f"/teach/courses/open-data/quizzes/{quiz_id}/delete")
    )
    post(teacher_client, f"/teach/courses/open-data/quizzes/{quiz_id}/delete", {})
    assert question_count(app) == 0


def test_editing_keeps_exact_weights_the_form_shows_rounded(app, teacher_client, quiz_id):
    """A GIFT weight of a third is shown as 33; saving the form unchanged must not turn it
    into 0.33, or three right answers would be worth 99 %."""
    from app.assessments import gift
    from app.assessments.banks import import_bank
    from app.courses.importer import find_course

    thirds = (
        "::q1::Pick the open formats {~%33.33333%CSV ~%33.33333%JSON ~%33.33333%XML ~%-100%XLSB}"
    )
    with app.test_request_context():
        questions, _problems = gift.parse_gift("$CATEGORY: finding-data\n" + thirds)
        import_bank(find_course("open-data", draft=True), "en", questions)
        db.session.commit()
        question = db.session.scalar(select(Question))
        question_id, revision = question.id, question.revision
        before = [option.fraction for option in question.options]
    url = f"/teach/courses/open-data/questions/{question_id}"
    form = page(teacher_client.get(url))
    assert 'value="33"' in form
    data = {"text": "Pick the open formats, all of them", "revision": revision,
            **rows({"text": "CSV", "grade": "33"}, {"text": "JSON", "grade": "33"},
                   {"text": "XML", "grade": "33"}, {"text": "XLSB", "grade": "-100"})}  # fmt: skip
    assert post(teacher_client, url, data).status_code == 302
    with app.app_context():
        fractions = [option.fraction for option in db.session.get(Question, question_id).options]
        assert fractions == before
        assert sum(fractions[:3]) == pytest.approx(1.0, abs=1e-6)
