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
        if audience in (SIGNED_IN, COURSE_STAFF) and role is None:
            assert status == 302, endpoint
            assert response.headers["Location"].startswith("/sign-in"), endpoint
        elif audience == COURSE_STAFF and role != "admin":
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
