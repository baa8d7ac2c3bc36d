"""Security audit: hostile text typed wherever a user can type, CSRF on every route that
takes a POST, the headers of every kind of response, and upload limits.

Each part walks a whole surface (every kind of text a user enters, every POST rule of
`app.url_map`, every kind of response, every upload), so a new route fails here until it is
listed, and a new page showing old text is checked like the others.
"""

import io
import logging
import re
from functools import partial
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.accounts import services as accounts
from app.accounts.models import User
from app.assessments.files import MAX_BANK_BYTES
from app.assessments.models import Attempt, AttemptAnswer, Question, Quiz
from app.certificates.models import Certificate
from app.courses.exporter import MAX_ZIP_BYTES
from app.courses.files import MAX_MEDIA_BYTES
from app.courses.importer import find_course
from app.courses.models import Lesson, Module
from app.extensions import db
from app.learning.models import Cohort, Programme
from app.site.errors import ERROR_TEXTS
from tests.accounts.test_permissions import POST_ONLY, SAMPLE_ARGS
from tests.accounts.test_register import register
from tests.assessments.conftest import write_quiz_course
from tests.assessments.test_quizzes import attempt_id, right_answers, start
from tests.certificates.test_certificates import complete_course
from tests.conftest import PASSWORD, csrf_token, import_folder, make_config, post_form, sign_in
from tests.courses.conftest import add_lesson, add_module, create_course, ids, page, post, publish
from tests.courses.test_authoring_questions import QUIZ, rows

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'
RAW_SCRIPT = '<script>alert("x")</script>'
ESCAPED_SCRIPT = "&lt;script&gt;"
# The whole payload as Jinja and WTForms escape it: shown in full, as text.
ESCAPED_PAYLOAD = str(escape(PAYLOAD))
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """This module signs in a hundred users; scrypt's deliberate slowness is tested elsewhere."""
    quick = partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr(accounts, "generate_password_hash", quick)


class _Elements(HTMLParser):
    """What in a page could run script: <script> tags, on* attributes, javascript: links."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.script_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            scheme = "".join((value or "").split()).lower().split(":")[0]
            if name in URL_ATTRIBUTES and scheme in ("javascript", "vbscript", "data"):
                self.script_links.append(value)


def assert_inert(html: str, *, shown: bool = True) -> None:
    """The payload is nowhere on the page as markup; where it is shown, it is shown as text,
    so a page cannot pass by leaving the text out."""
    assert RAW_SCRIPT not in html
    assert "<img src=x onerror" not in html
    elements = _Elements()
    elements.feed(html)
    assert elements.scripts == [], elements.scripts
    assert elements.handlers == [], elements.handlers
    assert elements.script_links == [], elements.script_links
    if shown:
        assert ESCAPED_SCRIPT in html


def text_of(client, url: str, status: int = 200, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code)
    return page(response)


def upload_file(client, url: str, field: str, content: bytes, filename: str, token_from=None):
    data = {field: (io.BytesIO(content), filename), "locale": "en"}
    token = csrf_token(client, token_from or url)
    response = client.post(
        url, data={**data, "csrf_token": token}, content_type="multipart/form-data"
    )
    # Werkzeug's test client spools a large body to a temporary file it never closes.
    response.request.environ["wsgi.input"].close()
    return response


@pytest.fixture
def teacher_client(client, create_user):
    sign_in(client, create_user(role="instructor"))
    return client


@pytest.fixture
def admin_client(app, create_user):
    client = app.test_client()
    sign_in(client, create_user(role="admin"))
    return client


@pytest.fixture
def quiz_course(app, course_root):
    """The water course with its question bank, module quizzes and final assessment."""
    write_quiz_course(course_root)
    import_folder(app, course_root)


# 1. Hostile text, typed by every kind of user ----------------------------------------------


def test_a_name_and_organisation_typed_at_registration_and_on_the_profile_stay_text(app, client):
    response = register(client, name=PAYLOAD, organisation=PAYLOAD, email="x@example.org")
    assert response.status_code == 302, page(response)
    dashboard = text_of(client, "/dashboard")
    assert_inert(dashboard)
    assert dashboard.count(ESCAPED_PAYLOAD) == 2, "the welcome message and the greeting"
    account = text_of(client, "/account")
    assert_inert(account)
    assert account.count(ESCAPED_PAYLOAD) == 2, "name and organisation, in their fields"
    details = {"name": f"{PAYLOAD}2", "country": "KE", "locale": "en", "organisation": PAYLOAD}
    assert post_form(client, "/account", details, token_from="/account").status_code == 302
    assert_inert(text_of(client, "/account"))
    with app.app_context():
        assert db.session.scalar(select(User.name)) == f"{PAYLOAD}2"


def hostile_bank(category: str) -> bytes:
    """Questions whose text, answers and feedback are the payload, in GIFT's plain, HTML
    (sanitised rather than escaped) and Markdown markup."""
    words = PAYLOAD.replace("=", "\\=")
    return (
        f"$CATEGORY: {category}\n\n"
        f"::gift-plain:: {words} {{\n={words}#{words}\n~Wrong\n####{words}\n}}\n\n"
        f"::gift-html:: [html]{words} {{\n=Right\n~{words}\n}}\n\n"
        f"::gift-markdown:: [markdown]{words} {{\n=Right\n~Wrong\n}}\n"
    ).encode()


# A code span shows HTML as text; a reference-style link passes the editor's link check, so
# the renderer must drop it.
LESSON_BODY = f"Intro.\n\n`{PAYLOAD}`\n\n[a reference link][1]\n\n[1]: javascript:alert(1)\n"


@pytest.fixture
def hostile_draft(app, teacher_client):
    """A draft whose course, module, lesson, quiz question, answers and feedback were all
    typed as the payload in the authoring forms, plus a GIFT bank of the same, imported."""
    create_course(teacher_client, title=PAYLOAD, summary=PAYLOAD)
    add_module(teacher_client, PAYLOAD)
    [module_id] = ids(app, Module)
    add_lesson(teacher_client, app, module_id, PAYLOAD, body=LESSON_BODY)
    quiz_url = f"/teach/courses/open-data/modules/{module_id}/quiz"
    assert post(teacher_client, quiz_url, QUIZ).status_code == 302
    with app.app_context():
        quiz = db.session.scalars(select(Quiz)).one()
        lesson = db.session.scalars(select(Lesson)).one()
    new = f"/teach/courses/open-data/quizzes/{quiz.id}/questions/new?kind="
    single = {
        "text": PAYLOAD,
        "general_feedback": PAYLOAD,
        **rows({"text": PAYLOAD, "grade": "100", "feedback": PAYLOAD}, {"text": "B"}),
    }
    assert post(teacher_client, new + "single", single).status_code == 302
    assert post(teacher_client, new + "essay", {"text": "Describe it."}).status_code == 302
    bank_url = "/teach/courses/open-data/questions/import"
    preview = page(
        upload_file(teacher_client, bank_url, "bank", hostile_bank(quiz.category), "b.gift")
    )
    assert_inert(preview)
    assert "Import 3 questions" in preview, preview
    upload = re.search(r'name="upload" type="hidden" value="(\w+)"', preview).group(1)
    confirmed = post(teacher_client, f"{bank_url}/confirm", {"upload": upload, "locale": "en"})
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Question)) == 5
    return {
        "module": module_id,
        "lesson": lesson.id,
        "lesson_key": lesson.key,
        "quiz_key": quiz.key,
    }


def test_course_texts_typed_by_an_instructor_stay_text_while_authoring(
    app, teacher_client, hostile_draft
):
    course = "/teach/courses/open-data"
    for url in (
        "/teach",
        course,
        f"{course}/settings",
        f"{course}/modules/{hostile_draft['module']}",
        f"{course}/lessons/{hostile_draft['lesson']}",
        f"{course}/modules/{hostile_draft['module']}/quiz",
        f"{course}/translations",
        f"{course}/preview",
        f"{course}/preview/lessons/{hostile_draft['lesson_key']}",
        f"{course}/preview/quizzes/{hostile_draft['quiz_key']}",
    ):
        assert_inert(text_of(teacher_client, url))
    with app.app_context():
        questions = db.session.execute(select(Question.id, Question.kind)).all()
    for question_id, kind in questions:
        editor = text_of(teacher_client, f"{course}/questions/{question_id}")
        assert_inert(editor, shown=kind != "essay")


def lesson_texts(app, lesson_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        return [(row.title, row.body_markdown) for row in lesson.translations]


REFUSED_BODIES = [
    f"Intro.\n\n{PAYLOAD}\n",
    f"Intro.\n\n{RAW_SCRIPT}\n",
    "[click](javascript:alert(1))\n",
    "[click](JaVaScRiPt:alert(1))\n",
    "<javascript:alert(1)>\n",
    "[click](<javascript:alert(1)>)\n",
    "![x](javascript:alert(1)){width=1 height=1}\n",
]


def test_lesson_markdown_with_html_or_script_links_is_refused_in_preview_and_on_save(
    app, teacher_client, hostile_draft
):
    url = f"/teach/courses/open-data/lessons/{hostile_draft['lesson']}"
    before = lesson_texts(app, hostile_draft["lesson"])
    for body in REFUSED_BODIES:
        form = {"title": "Lesson", "body": body, "module_id": hostile_draft["module"]}
        preview = page(post(teacher_client, url, {**form, "preview": "Preview"}))
        assert "not allowed" in preview, body
        assert 'class="lesson-body"' not in preview, body
        assert_inert(preview, shown=ESCAPED_SCRIPT in str(escape(body)))  # in its textarea
        saved = post(teacher_client, url, {**form, "save": "Save", "revision": 1})
        assert saved.status_code == 200 and "not allowed" in page(saved), body
        assert_inert(page(saved), shown=False)
    assert lesson_texts(app, hostile_draft["lesson"]) == before


def test_a_lesson_preview_shows_code_as_text_and_drops_reference_script_links(
    teacher_client, hostile_draft
):
    url = f"/teach/courses/open-data/lessons/{hostile_draft['lesson']}"
    form = {"title": PAYLOAD, "body": LESSON_BODY, "module_id": hostile_draft["module"]}
    preview = page(post(teacher_client, url, {**form, "preview": "Preview"}))
    assert_inert(preview)
    assert "<code>&lt;script&gt;" in lesson_body(preview)
    assert "<a " not in lesson_body(preview)


def lesson_body(html: str) -> str:
    return re.search(r'class="lesson-body"[^>]*>(.*?)</div>', html, re.S).group(1)


def test_translations_typed_by_an_instructor_stay_text(app, teacher_client, hostile_draft):
    base = "/teach/courses/open-data/translations/fr"
    with app.app_context():
        course_id = find_course("open-data", draft=True).id
    texts = {
        f"course/{course_id}": {"title": PAYLOAD, "summary": PAYLOAD},
        f"module/{hostile_draft['module']}": {"title": PAYLOAD},
        f"lesson/{hostile_draft['lesson']}": {"title": PAYLOAD, "body_markdown": LESSON_BODY},
    }
    for item, data in texts.items():
        assert post(teacher_client, f"{base}/{item}", data).status_code == 302, item
        assert_inert(text_of(teacher_client, f"{base}/{item}"))
    lesson = f"{base}/lesson/{hostile_draft['lesson']}"
    refused = post(teacher_client, lesson, {"title": "T", "body_markdown": PAYLOAD})
    assert "not allowed" in page(refused)
    assert_inert(page(refused))
    preview = "/teach/courses/open-data/preview"
    for url in (preview, f"{preview}/lessons/{hostile_draft['lesson_key']}"):
        shown = text_of(teacher_client, url, query_string={"lang": "fr"})
        assert '<html lang="fr"' in shown
        assert_inert(shown)


@pytest.fixture
def hostile_learner(app, teacher_client, hostile_draft):
    """The hostile draft, published; a learner registered with the payload as name, who gave
    the right answers (the payload, for the form's and the plain GIFT question) and the
    payload as essay. Returns the learner's client and their attempt's URL."""
    assert "Published" in page(publish(teacher_client))
    learner = app.test_client()
    assert register(learner, name=PAYLOAD, email="hostile@example.org").status_code == 302
    post_form(learner, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
    location = start(learner, f"/courses/open-data/quizzes/{hostile_draft['quiz_key']}")
    attempt = page(learner.get(location))
    assert_inert(attempt)
    assert attempt.count(ESCAPED_PAYLOAD) >= 4, "the questions and the answers offered"
    with app.app_context():
        plan = [entry["question"] for entry in db.session.get(Attempt, attempt_id(location)).plan]
        essay = db.session.scalar(
            select(Question.id).where(Question.id.in_(plan), Question.kind == "essay")
        )
    answers = {**right_answers(app, attempt_id(location)), f"q{essay}": PAYLOAD}
    submitted = post_form(learner, location, {**answers, "action": "submit"}, token_from=location)
    assert submitted.status_code == 302
    with app.app_context():
        assert db.session.get(Attempt, attempt_id(location)).is_awaiting_marking
    return learner, location


def test_published_course_texts_stay_text_for_learners(app, hostile_draft, hostile_learner):
    learner, location = hostile_learner
    lesson = f"/courses/open-data/lessons/{hostile_draft['lesson_key']}"
    for url in ("/courses", "/courses/open-data", lesson, "/dashboard"):
        assert_inert(text_of(learner, url))
    assert text_of(learner, "/courses").count(ESCAPED_PAYLOAD) == 2, "title and summary"
    body = lesson_body(text_of(learner, lesson))
    assert "<code>&lt;script&gt;" in body
    assert "<a " not in body, "the reference-style javascript: link is dropped"
    quiz = text_of(learner, f"/courses/open-data/quizzes/{hostile_draft['quiz_key']}")
    assert_inert(quiz)
    review = text_of(learner, location)
    assert_inert(review)
    assert review.count(ESCAPED_PAYLOAD) >= 4, "question, right answer, its feedback, general"


def test_learners_names_and_essays_stay_text_for_their_instructor_and_officers(
    app, admin_client, teacher_client, hostile_draft, hostile_learner
):
    course = "/teach/courses/open-data"
    statistics = f"{course}/quizzes/{hostile_draft['quiz_key']}/statistics"
    for url in (f"{course}/learners", statistics):
        assert_inert(text_of(teacher_client, url))
    essays = text_of(teacher_client, f"{course}/essays")
    assert_inert(essays)
    assert essays.count(ESCAPED_SCRIPT) >= 2, "the learner's name and their essay"
    with app.app_context():
        answer = db.session.scalar(select(AttemptAnswer.id).where(AttemptAnswer.fraction.is_(None)))
    prefix = f"essay{answer}"
    marking = {f"{prefix}-mark": "100", f"{prefix}-comment": PAYLOAD}
    marked = post_form(teacher_client, f"{course}/essays/{answer}", marking, token_from=course)
    assert marked.status_code == 302
    with app.app_context():
        assert db.session.get(AttemptAnswer, answer).marker_comment == PAYLOAD
    learner, location = hostile_learner
    assert_inert(text_of(learner, location))  # the comment is not shown to learners (yet)
    for url in ("/reports", "/reports/learners"):
        report = text_of(admin_client, url)
        assert_inert(report)
        assert report.count(ESCAPED_SCRIPT) >= 2, url


def test_cohort_and_programme_names_stay_text_in_reports(
    app, create_user, admin_client, mini_course
):
    cohorts = "/reports/cohorts"
    added = post_form(admin_client, "/reports/programmes", {"name": PAYLOAD}, token_from=cohorts)
    assert added.status_code == 302
    assert_inert(text_of(admin_client, f"{cohorts}/new"))  # the programme, in its select
    with app.app_context():
        programme = db.session.scalar(select(Programme.id))
        course = find_course("water-basics").id
    cohort = {
        "name": PAYLOAD,
        "organisation": PAYLOAD,
        "country": "SN",
        "courses": [str(course)],
        "programme": str(programme),
    }
    created = post_form(admin_client, f"{cohorts}/new", cohort, token_from=f"{cohorts}/new")
    assert created.status_code == 302, page(created)
    with app.app_context():
        cohort_id, code = db.session.execute(select(Cohort.id, Cohort.join_code)).one()
    learner = app.test_client()
    sign_in(learner, create_user())
    post_form(learner, "/account/cohort", {"cohort_code": code}, token_from="/account")
    assert_inert(text_of(learner, "/dashboard"))  # "You joined <the cohort>"
    listed = text_of(admin_client, cohorts)
    assert_inert(listed)
    assert listed.count(ESCAPED_PAYLOAD) == 3, "cohort, organisation, programme"
    shown = text_of(admin_client, f"{cohorts}/{cohort_id}")
    assert_inert(shown)
    assert shown.count(ESCAPED_PAYLOAD) >= 3
    report = text_of(admin_client, "/reports")
    assert_inert(report)
    options = re.search(r'<select[^>]*name="cohort".*?</select>', report, re.S).group(0)
    assert ESCAPED_PAYLOAD in options
    assert report.count(ESCAPED_SCRIPT) >= 3, "the filter, the table by cohort and its chart"
    assert_inert(text_of(admin_client, "/reports/learners", query_string={"cohort": cohort_id}))


def test_certificate_names_revocation_reasons_and_looked_up_codes_stay_text(
    app, create_user, admin_client, mini_course
):
    learner = create_user(name=PAYLOAD)
    complete_course(app, learner.id)
    with app.app_context():
        verify = f"/verify/{db.session.scalar(select(Certificate.code))}"
    visitor = app.test_client()
    assert_inert(text_of(visitor, verify))
    revoked = post_form(admin_client, f"{verify}/revoke", {"reason": PAYLOAD}, token_from=verify)
    assert revoked.status_code == 302
    shown = text_of(visitor, verify)
    assert_inert(shown)
    assert shown.count(ESCAPED_PAYLOAD) == 2, "the learner's name and the reason"
    too_long = text_of(visitor, "/verify", query_string={"code": PAYLOAD})
    assert_inert(too_long)
    assert "Use at most 40 characters." in too_long
    unknown = visitor.get("/verify", query_string={"code": RAW_SCRIPT}, follow_redirects=True)
    assert unknown.status_code == 404
    assert_inert(page(unknown))
    assert_inert(text_of(visitor, "/verify/" + PAYLOAD.replace("/", ""), status=404))


REPORT_FILTERS = ("course", "cohort", "country", "gender", "language", "start", "end", "page")


def test_hostile_query_strings_get_a_message_or_are_ignored_never_reflected_as_markup(
    app, admin_client, quiz_course
):
    hostile = dict.fromkeys(REPORT_FILTERS, PAYLOAD)
    for url in ("/reports", "/reports/learners"):
        shown = text_of(admin_client, url, query_string=hostile)
        assert "Some filters could not be used" in shown
        assert_inert(shown, shown=False)
    for url in ("/reports/export.csv", "/reports/learners.csv", "/reports/export.xlsx"):
        with admin_client.get(url, query_string=hostile) as response:
            assert response.status_code == 200, url
            assert PAYLOAD.encode() not in response.get_data()
    assert_inert(text_of(admin_client, "/reports/cohorts"), shown=False)  # their flashes
    catalogue = text_of(app.test_client(), "/courses", query_string={"level": PAYLOAD})
    assert "That filter is not available" in catalogue
    assert_inert(catalogue, shown=False)
    assert_inert(text_of(app.test_client(), "/sign-in", query_string={"next": PAYLOAD}))
    teach = "/teach/courses/water-basics"
    for url in (f"{teach}/learners", f"{teach}/preview", f"{teach}/translations"):
        shown = text_of(admin_client, url, query_string={"page": PAYLOAD, "lang": PAYLOAD})
        assert_inert(shown, shown=False)
    with app.app_context():
        draft = find_course("water-basics", draft=True)
        quiz = db.session.scalar(select(Quiz.id).where(Quiz.course_id == draft.id).limit(1))
    new_question = f"{teach}/quizzes/{quiz}/questions/new"
    response = admin_client.get(new_question, query_string={"kind": PAYLOAD}, follow_redirects=True)
    assert "Choose a kind of question." in page(response)
    assert_inert(page(response), shown=False)


# 2. CSRF on every route that takes a POST --------------------------------------------------

# The forms also shown by GET. With the access matrix's POST-only routes, they are every rule
# of app.url_map that takes a POST (test_every_post_route_is_audited keeps the list whole).
GET_AND_POST = {
    "accounts.register", "accounts.sign_in", "accounts.profile", "accounts.forgot_password",
    "accounts.reset_password", "assessments.attempt", "assessments.import_questions",
    "authoring.new_course", "authoring.edit_course", "authoring.edit_module",
    "authoring.delete_module", "authoring.new_lesson", "authoring.edit_lesson",
    "authoring.delete_lesson", "authoring.module_quiz", "authoring.final_quiz",
    "authoring.delete_quiz", "authoring.new_question", "authoring.edit_question",
    "authoring.delete_question", "authoring.import_zip", "authoring.translate",
    "reports.new_cohort",
}  # fmt: skip
POST_ROUTES = sorted(POST_ONLY | GET_AND_POST)
# Forms for signed-out visitors; an admin, who may use every other route, posts the rest.
SIGNED_OUT_FORMS = {
    "accounts.register", "accounts.sign_in", "accounts.forgot_password", "accounts.reset_password",
}  # fmt: skip
# Fields that the routes' forms would accept, were it not for the token.
FORM_DATA = {
    "name": "Changed", "title": "Changed", "summary": "Changed.", "body": "Changed.",
    "text": "Changed?", "email": "someone@example.org", "password": PASSWORD,
    "confirm": PASSWORD, "current_password": PASSWORD, "country": "KE", "locale": "fr",
    "slug": "changed", "source_locale": "en", "level": "beginner", "estimated_hours": "1",
    "module-title": "Changed", "reason": "Changed.", "direction": "down", "pass_mark": "50",
    "mark": "100", "action": "submit", "save": "Save", "is_required": "y", "module_id": "1",
    "upload": "0" * 64, "answers-0-text": "Yes", "answers-0-grade": "100",
}  # fmt: skip


def test_every_post_route_is_audited(app):
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts == set(POST_ROUTES)
    assert not POST_ONLY & GET_AND_POST


def database_rows(app) -> dict[str, list[str]]:
    """Every row of every table, to show that a request changed nothing at all."""
    with app.app_context():
        return {
            table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            for table in db.metadata.sorted_tables
        }


def sample_url(app, rule) -> str:
    """The rule's URL for the quiz course's first module, lesson, quiz and question."""
    with app.app_context():
        course = find_course("water-basics")
        first = {
            model: db.session.scalar(select(model.id).where(model.course_id == course.id).limit(1))
            for model in (Module, Lesson, Quiz, Question)
        }
    known = {
        **SAMPLE_ARGS,
        "module_id": first[Module],
        "lesson_id": first[Lesson],
        "item_id": first[Lesson],
        "quiz_id": first[Quiz],
        "question_id": first[Question],
    }
    return rule.build({name: known[name] for name in rule.arguments})[1]


def some_files() -> dict:
    return {
        field: (io.BytesIO(b"GIF89a" + b"x" * 100), f"{field}.gif")
        for field in ("image", "bank", "archive")
    }


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(
    app, create_user, quiz_course, caplog, endpoint
):
    client = app.test_client()
    if endpoint not in SIGNED_OUT_FORMS:
        sign_in(client, create_user(role="admin"))
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    url = sample_url(app, rule)
    foreign = csrf_token(app.test_client(), "/sign-in")  # a valid token of another session
    before = database_rows(app)
    with caplog.at_level(logging.INFO, logger="flask_wtf.csrf"):
        without = client.post(url, data={**FORM_DATA, **some_files()})
        forged = client.post(url, data={**FORM_DATA, **some_files(), "csrf_token": foreign})
    assert (without.status_code, forged.status_code) == (400, 400)
    assert "Something in that request was not right" in page(without)
    reasons = [record.getMessage() for record in caplog.records]
    assert reasons == ["The CSRF token is missing.", "The CSRF tokens do not match."]
    assert database_rows(app) == before


# 3. Security headers on every kind of response ---------------------------------------------

PERSONAL, IMMUTABLE, PUBLIC = "personal", "immutable", "public"


@pytest.fixture
def every_kind_of_response(app, create_user, admin_client, mini_course):
    """One response of each kind the site sends: {kind: (who may cache it, response)}."""
    learner = app.test_client()
    user = create_user()
    sign_in(learner, user)
    complete_course(app, user.id)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    anonymous = app.test_client()
    css = re.search(r'href="(/assets/css/site\.[0-9a-f]{12}\.css)"', text_of(anonymous, "/"))
    too_large = partial(
        anonymous.post,
        data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
        content_type="application/x-www-form-urlencoded",
    )
    teach = "/teach/courses/water-basics"
    requests = [
        ("HTML page", PERSONAL, anonymous.get, "/"),
        ("signed-in HTML page", PERSONAL, learner.get, "/dashboard"),
        ("redirect", PERSONAL, learner.get, "/"),
        ("404 page", PERSONAL, anonymous.get, "/nowhere"),
        ("403 page", PERSONAL, learner.get, "/reports"),
        ("405 page", PERSONAL, anonymous.get, "/language"),
        ("413 page", PERSONAL, too_large, "/register"),
        ("JSON health check", PUBLIC, anonymous.get, "/healthz"),
        ("hashed CSS", IMMUTABLE, anonymous.get, css.group(1)),
        ("certificate PDF", PERSONAL, learner.get, f"/certificates/{code}.pdf"),
        ("certificate check as JSON", PUBLIC, anonymous.get, f"/verify/{code}?format=json"),
        ("Open Badge", PUBLIC, anonymous.get, f"/verify/{code}/badge.json"),
        ("JWKS", PUBLIC, anonymous.get, "/.well-known/jwks.json"),
        ("public key", PUBLIC, anonymous.get, "/.well-known/passerelle-certificates.pem"),
        ("CSV export", PERSONAL, admin_client.get, "/reports/export.csv"),
        ("XLSX export", PERSONAL, admin_client.get, "/reports/export.xlsx"),
        ("learners CSV", PERSONAL, admin_client.get, "/reports/learners.csv"),
        ("learners XLSX", PERSONAL, admin_client.get, "/reports/learners.xlsx"),
        ("GIFT export", PERSONAL, admin_client.get, f"{teach}/questions/en.gift"),
        ("course zip", PERSONAL, admin_client.get, f"{teach}/export.zip"),
    ]
    kinds = {}
    for kind, caching, send, url in requests:
        # A download streams while its request is current: read each before the next.
        with send(url) as response:
            response.get_data()
        kinds[kind] = (caching, response)
    return kinds


EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def header_problems(response, caching: str) -> list[str]:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    problems = [
        f"{name}: {headers.get(name)!r}"
        for name, value in EXPECTED_HEADERS.items()
        if headers.get(name) != value
    ]
    if "script-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"Content-Security-Policy: {csp!r}")
    cache = response.cache_control
    wrong = {
        # Personal data: in the browser's own cache at most, never in a shared one.
        PERSONAL: cache.public or not (cache.no_store or cache.private),
        IMMUTABLE: not (cache.public and cache.immutable),
        PUBLIC: False,
    }[caching]
    if wrong:
        problems.append(f"Cache-Control: {headers.get('Cache-Control')!r}")
    return problems


def test_every_kind_of_response_carries_the_security_headers(every_kind_of_response):
    statuses = {
        kind: response.status_code for kind, (_, response) in every_kind_of_response.items()
    }
    errors = {"redirect": 302, "404 page": 404, "403 page": 403, "405 page": 405, "413 page": 413}
    assert statuses == {kind: errors.get(kind, 200) for kind in statuses}
    problems = {
        kind: header_problems(response, caching)
        for kind, (caching, response) in every_kind_of_response.items()
    }
    assert {kind: found for kind, found in problems.items() if found} == {}


def test_session_and_remember_cookies_are_secure_httponly_and_lax_by_default(
    app, create_user, make_app, database_url
):
    defaults = make_config(database_url)
    del defaults["SESSION_COOKIE_SECURE"], defaults["REMEMBER_COOKIE_SECURE"]  # tests relax them
    client = make_app(defaults).test_client()
    user = create_user()
    token = csrf_token(client, "https://localhost/sign-in")
    response = client.post(
        "https://localhost/sign-in",
        data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
        headers={"Referer": "https://localhost/sign-in"},  # checked on HTTPS; browsers send it
    )
    assert response.status_code == 302
    cookies = {
        header.split("=", 1)[0]: {flag.strip().lower() for flag in header.split(";")[1:]}
        for header in response.headers.getlist("Set-Cookie")
    }
    assert set(cookies) == {"session", "remember_token"}
    for name, flags in cookies.items():
        assert {"secure", "httponly", "samesite=lax"} <= flags, (name, flags)


# 4. Upload limits --------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_body_over_the_size_limit_gets_the_413_page_in_the_users_language(
    app, client, create_user, locale
):
    sign_in(client, create_user(locale=locale))
    too_large = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/account", data=too_large, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    with app.test_request_context(), force_locale(locale):
        title, message = (str(text) for text in ERROR_TEXTS[413])
    assert title != "That file is too large", "the catalogs are compiled"
    assert f'<html lang="{locale}"' in page(response)
    assert title in page(response) and message in page(response)


def test_uploads_over_their_limits_get_a_clear_message_and_change_nothing(
    app, admin_client, quiz_course
):
    teach = "/teach/courses/water-basics"
    text_of(admin_client, teach)  # opening the course makes the draft the uploads would change
    before = database_rows(app)
    uploads = {
        "image": (f"{teach}/media", "image", b"GIF89a".ljust(MAX_MEDIA_BYTES + 1, b"x"), teach,
                  "This image is too large (over 5 MB)."),
        "GIFT file": (f"{teach}/questions/import", "bank", b"x" * (MAX_BANK_BYTES + 1), None,
                      "This question bank is too large (over 1 MB)."),
        "course zip": ("/teach/import", "archive", b"x" * (MAX_ZIP_BYTES + 1), None,
                       "This file is too large (over 20 MB)."),
        # Over what other requests may send, but within a course zip's own limit: it is read.
        "course zip over other uploads' limit": (
            "/teach/import", "archive", b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), None,
            "This file is not a zip archive."),
    }  # fmt: skip
    for kind, (url, field, content, token_from, message) in uploads.items():
        filename = {"image": "big.gif", "bank": "big.gift", "archive": "big.zip"}[field]
        response = upload_file(admin_client, url, field, content, filename, token_from)
        assert response.status_code in (200, 302), (kind, response.status_code)
        if response.status_code == 302:
            response = admin_client.get(response.headers["Location"])
        assert message in page(response), kind
        assert database_rows(app) == before, kind
