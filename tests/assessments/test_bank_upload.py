"""An instructor uploads a GIFT file: a preview with every problem by line, then import."""

import io

import pytest
from sqlalchemy import func, select

from app.assessments.models import Question, QuestionTranslation
from app.courses.importer import find_course
from app.extensions import db
from tests.assessments.conftest import BANK_EN
from tests.conftest import csrf_token, post_form, sign_in

IMPORT = "/teach/courses/water-basics/questions/import"
NEW_QUESTION = "$CATEGORY: meters\n\n::m-new:: Is a dripping tap a leak? {TRUE}\n"


@pytest.fixture
def teacher(app, client, create_user, runner, quiz_course):
    user = create_user(role="instructor")
    result = runner.invoke(
        args=["lms", "add-instructor", "--course", "water-basics", "--email", user.email]
    )
    assert result.exit_code == 0, result.output
    sign_in(client, user)
    return user


def upload(client, content: bytes, locale: str = "en"):
    data = {
        "bank": (io.BytesIO(content), "bank.gift"),
        "locale": locale,
        "csrf_token": csrf_token(client, IMPORT),
    }
    return client.post(IMPORT, data=data, content_type="multipart/form-data")


def questions(app, *, draft: bool = True) -> int:
    """Questions in the course's draft, where uploads go (or in the published course)."""
    with app.app_context():
        course = find_course("water-basics", draft=draft)
        query = select(func.count()).where(Question.course_id == course.id)
        return db.session.scalar(query)


def test_preview_then_import(app, client, teacher):
    page = upload(client, NEW_QUESTION.encode()).get_data(as_text=True)
    assert "m-new" in page and "Import 1 question" in page
    assert questions(app) == 8, "a preview changes nothing"
    upload_name = page.split('name="upload" type="hidden" value="')[1].split('"')[0]
    response = post_form(
        client, f"{IMPORT}/confirm", {"upload": upload_name, "locale": "en"}, token_from=IMPORT
    )
    assert response.status_code == 302
    assert questions(app) == 9
    assert questions(app, draft=False) == 8, "learners see it once published"
    assert "1 question imported." in client.get(IMPORT).get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"::a:: Unclosed {=yes ~no\n", "Line 1: This “{” is never closed."),
        (b"::a:: [latex] x {=y ~z}\n", "Unknown markup"),
        (b"::a:: Weights {~%200%a ~b}\n", "Weights go from -100 to 100 percent."),
        (b"::a:: Empty {= ~no}\n", "An answer is empty."),
        ("::a:: Café? {T}".encode("latin-1"), "This file is not UTF-8 text."),
        (b"No title here {T}\n", "Each question needs a title"),
        (b"// only a comment\n", "This file holds no question."),
    ],
)
def test_problems_are_shown_by_line_and_nothing_is_imported(app, client, teacher, content, message):
    page = upload(client, content).get_data(as_text=True)
    assert message in page
    assert "Import 1 question" not in page
    assert questions(app) == 8


# Werkzeug's test client spools a body this large to a temporary file it never closes.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_file_over_the_limit_is_refused(app, client, teacher):
    page = upload(client, b"x" * 1_000_001).get_data(as_text=True)
    assert "too large" in page
    assert questions(app) == 8


def test_a_translation_must_match_the_source(app, client, teacher):
    wrong = BANK_EN.replace("=Flow at 3 a.m.", "~Flow at 3 a.m.").replace(
        "~A high bill", "=A high bill"
    )
    assert "does not have the same answers" in upload(client, wrong.encode(), "es").get_data(
        as_text=True
    )
    unknown = b"::nope:: Hola {T}\n"
    assert "No question of the source bank" in upload(client, unknown, "es").get_data(as_text=True)


def test_a_forged_or_stale_confirmation_changes_nothing(app, client, teacher):
    for name in ("../../passerelle.cfg", "0" * 64, ""):
        post_form(client, f"{IMPORT}/confirm", {"upload": name, "locale": "en"}, token_from=IMPORT)
    assert "Upload the file again" in client.get(IMPORT).get_data(as_text=True)
    assert questions(app) == 8


def test_export_then_reimport_gives_the_same_bank(app, client, teacher):
    exported = client.get("/teach/courses/water-basics/questions/en.gift")
    assert exported.headers["Content-Disposition"].endswith("water-basics-en.gift")
    with app.app_context():
        before = {
            (t.question_id, t.locale, t.text, str(t.options))
            for t in db.session.scalars(select(QuestionTranslation))
        }
    page = upload(client, exported.data).get_data(as_text=True)
    upload_name = page.split('name="upload" type="hidden" value="')[1].split('"')[0]
    post_form(
        client, f"{IMPORT}/confirm", {"upload": upload_name, "locale": "en"}, token_from=IMPORT
    )
    with app.app_context():
        after = {
            (t.question_id, t.locale, t.text, str(t.options))
            for t in db.session.scalars(select(QuestionTranslation))
        }
        assert db.session.scalar(select(func.max(Question.source_version))) == 1, "nothing changed"
    assert before == after


def test_only_the_courses_instructors_and_admins_may_import(app, client, create_user, quiz_course):
    for role, expected in (("learner", 403), ("officer", 403), ("instructor", 403), ("admin", 200)):
        other = app.test_client()
        sign_in(other, create_user(role=role))
        assert other.get(IMPORT).status_code == expected, role
        assert other.get("/teach/courses/water-basics/questions/en.gift").status_code == expected
    assert app.test_client().get(IMPORT).status_code == 302
