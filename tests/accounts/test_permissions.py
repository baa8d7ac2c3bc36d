"""Who may open what: role_required, and a route-by-role matrix over every registered URL."""

import pytest
from flask import Blueprint

from app.accounts.models import Role
from app.accounts.permissions import role_required
from tests.assessments.conftest import write_quiz_course
from tests.conftest import import_folder, sign_in

ROLES = [role.value for role in Role]

# Every GET route the app registers, and who may open it. A new route fails the matrix
# test until it is listed here with its audience.
ANYONE = "anyone"
SIGNED_IN = "signed in"
# Instructors of the course and admins; an instructor of another course is refused too.
COURSE_STAFF = "course staff"
# Any instructor, and admins: the list of one's courses, creating or importing a course.
TEACHERS = "teachers"
# Programme officers and admins (each sees only the cohorts they report on).
OFFICERS = "officers"
GET_ACCESS = {
    "site.index": ANYONE,
    "site.healthz": ANYONE,
    "accounts.register": ANYONE,
    "accounts.sign_in": ANYONE,
    "accounts.forgot_password": ANYONE,
    "accounts.reset_password": ANYONE,
    "accounts.profile": SIGNED_IN,
    "assets.serve": ANYONE,
    "courses.catalogue": ANYONE,
    "courses.course": ANYONE,
    "courses.media": ANYONE,
    "learning.dashboard": SIGNED_IN,
    "learning.lesson": SIGNED_IN,
    "assessments.quiz": SIGNED_IN,
    "assessments.attempt": SIGNED_IN,
    "assessments.import_questions": COURSE_STAFF,
    "assessments.export_questions": COURSE_STAFF,
    "certificates.lookup": ANYONE,
    "certificates.verify": ANYONE,
    "certificates.public_key": ANYONE,
    "certificates.badge": ANYONE,
    "certificates.signed_badge": ANYONE,
    "certificates.jwks": ANYONE,
    # Its owner and programme staff; anyone else gets 404, not a hint that it exists.
    "certificates.pdf": SIGNED_IN,
    "assessments.statistics": COURSE_STAFF,
    "assessments.essays": COURSE_STAFF,
    "authoring.index": TEACHERS,
    "authoring.new_course": TEACHERS,
    "authoring.import_zip": TEACHERS,
    "authoring.course": COURSE_STAFF,
    "authoring.edit_course": COURSE_STAFF,
    "authoring.edit_module": COURSE_STAFF,
    "authoring.delete_module": COURSE_STAFF,
    "authoring.new_lesson": COURSE_STAFF,
    "authoring.edit_lesson": COURSE_STAFF,
    "authoring.delete_lesson": COURSE_STAFF,
    "authoring.module_quiz": COURSE_STAFF,
    "authoring.final_quiz": COURSE_STAFF,
    "authoring.delete_quiz": COURSE_STAFF,
    "authoring.new_question": COURSE_STAFF,
    "authoring.edit_question": COURSE_STAFF,
    "authoring.delete_question": COURSE_STAFF,
    "authoring.preview_course": COURSE_STAFF,
    "authoring.preview_lesson": COURSE_STAFF,
    "authoring.preview_quiz": COURSE_STAFF,
    "authoring.export": COURSE_STAFF,
    "authoring.translations": COURSE_STAFF,
    "authoring.translate": COURSE_STAFF,
    "authoring.learners": COURSE_STAFF,
    "reports.dashboard": OFFICERS,
    "reports.export_csv": OFFICERS,
    "reports.export_xlsx": OFFICERS,
    "reports.learners": OFFICERS,
    "reports.learners_csv": OFFICERS,
    "reports.learners_xlsx": OFFICERS,
    "reports.cohorts_page": OFFICERS,
    "reports.new_cohort": OFFICERS,
    "reports.cohort": OFFICERS,
}
POST_ONLY = {
    "site.set_language",
    "accounts.sign_out",
    "accounts.change_password",
    "learning.enrol",
    "learning.complete_lesson",
    "assessments.start",
    "assessments.confirm_questions",
    "assessments.mark_essay",
    "certificates.revoke",
    "authoring.add_instructor",
    "authoring.upload_media",
    "authoring.add_module",
    "authoring.move_module",
    "authoring.move_lesson",
    "authoring.publish",
    "authoring.withdraw",
    "authoring.mark_reviewed",
    "reports.add_cohort_officer",
    "reports.add_programme",
    "reports.add_programme_officer",
    "learning.join_cohort",
}
SAMPLE_ARGS = {
    "token": "not-a-token",
    "filename": "css/site.css",
    "slug": "water-basics",
    "key": "meters",
    "name": "0123.png",
    "attempt_id": 1,
    "locale": "en",
    "answer_id": 1,
    "code": "0000-0000-0000-0000-0",
    "module_id": 1,
    "lesson_id": 1,
    "quiz_id": 1,
    "question_id": 1,
    "item_id": 1,
    "kind": "lesson",
    "cohort_id": 1,
    "programme_id": 1,
}


@pytest.fixture
def course_with_quizzes(app, course_root):
    write_quiz_course(course_root)
    import_folder(app, course_root)


def routes(app):
    for rule in app.url_map.iter_rules():
        yield rule.endpoint, rule


def test_every_route_is_in_the_access_matrix(app):
    endpoints = {endpoint for endpoint, _rule in routes(app)}
    assert endpoints == set(GET_ACCESS) | POST_ONLY


def _refused(audience: str, role: str) -> bool:
    if audience == COURSE_STAFF:
        return role != "admin"  # the sample course has no instructor
    if audience == OFFICERS:
        return role not in ("officer", "admin")
    return audience == TEACHERS and role not in ("instructor", "admin")


@pytest.mark.parametrize("role", [None, *ROLES])
def test_get_access_by_role(app, client, create_user, course_with_quizzes, role):
    if role:
        sign_in(client, create_user(role=role))
    for endpoint, rule in routes(app):
        if endpoint in POST_ONLY:
            assert "GET" not in rule.methods, endpoint
            continue
        url = rule.build({name: SAMPLE_ARGS[name] for name in rule.arguments})[1]
        with client.get(url) as response:
            status = response.status_code
        audience = GET_ACCESS[endpoint]
        if audience in (SIGNED_IN, COURSE_STAFF, TEACHERS, OFFICERS) and role is None:
            assert status == 302, endpoint
            assert response.headers["Location"].startswith("/sign-in"), endpoint
        elif _refused(audience, role):
            assert status == 403, (endpoint, role)
        else:
            assert status in {200, 302, 400, 404}, (endpoint, status)
            assert status != 403, endpoint


@pytest.mark.parametrize("endpoint", sorted(POST_ONLY))
def test_state_changing_routes_refuse_a_post_without_csrf(app, client, create_user, endpoint):
    sign_in(client, create_user())
    rule = next(rule for name, rule in routes(app) if name == endpoint)
    url = rule.build({name: SAMPLE_ARGS[name] for name in rule.arguments})[1]
    assert client.post(url).status_code == 400


# Every route that changes a course or reads its teaching data, whatever its method.
COURSE_TEACHING = sorted(
    endpoint
    for endpoint, audience in {**GET_ACCESS, **dict.fromkeys(POST_ONLY, None)}.items()
    if audience == COURSE_STAFF or (audience is None and endpoint.startswith("authoring."))
    or endpoint in {"assessments.confirm_questions", "assessments.mark_essay"}
)  # fmt: skip


@pytest.mark.parametrize("endpoint", COURSE_TEACHING)
def test_teaching_routes_refuse_everyone_but_the_courses_staff_even_with_a_token(
    app, client, create_user, course_with_quizzes, endpoint
):
    """A learner, an officer and an instructor of another course get 403 on GET and POST
    (with a valid CSRF token), and nothing is created for them."""
    from sqlalchemy import func, select

    from app.courses.models import Course
    from app.extensions import db
    from tests.conftest import csrf_token

    rule = next(rule for name, rule in routes(app) if name == endpoint)
    url = rule.build({name: SAMPLE_ARGS[name] for name in rule.arguments})[1]
    for role in ("learner", "officer", "instructor"):
        visitor = app.test_client()
        sign_in(visitor, create_user(role=role))
        token = csrf_token(visitor, "/account")
        if "GET" in rule.methods:
            assert visitor.get(url).status_code == 403, (endpoint, role)
        if "POST" in rule.methods:
            assert visitor.post(url, data={"csrf_token": token}).status_code == 403, (
                endpoint,
                role,
            )
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Course.is_draft)) == 0


@pytest.fixture
def app_with_role_pages(app):
    pages = Blueprint("role_pages", __name__)
    for role in Role:
        pages.add_url_rule(
            f"/only/{role.value}",
            f"only_{role.value}",
            role_required(role)(lambda: "inside"),
        )
    pages.add_url_rule(
        "/only/staff", "staff", role_required(Role.OFFICER, Role.ADMIN)(lambda: "inside")
    )
    app.register_blueprint(pages)
    return app


@pytest.mark.parametrize("role", ROLES)
def test_role_required_refuses_other_roles_with_403(app_with_role_pages, create_user, role):
    client = app_with_role_pages.test_client()
    sign_in(client, create_user(role=role))
    for page_role in ROLES:
        response = client.get(f"/only/{page_role}")
        if page_role == role:
            assert response.get_data(as_text=True) == "inside"
        else:
            assert response.status_code == 403
            assert "You do not have access to this page" in response.get_data(as_text=True)
    staff = client.get("/only/staff").status_code
    assert staff == (200 if role in {"officer", "admin"} else 403)


def test_role_required_sends_signed_out_visitors_to_sign_in(app_with_role_pages):
    client = app_with_role_pages.test_client()
    response = client.get("/only/admin")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fonly%2Fadmin"
