"""The object-level access audit: every registered route, built with the ids of one real
world (a taught course and its draft, an attempt with an essay to mark, a certificate, two
cohorts and a programme), opened and posted to by eight visitors. Each visitor must get
exactly the status the table below gives, and a refused request must change nothing."""

import io
from dataclasses import dataclass, field
from functools import partial

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.accounts import services as accounts
from app.accounts.models import User
from app.assessments.models import Attempt, AttemptAnswer, Question, Quiz
from app.assets import asset_url
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.courses.importer import find_course
from app.courses.models import Course, CourseMedia, Lesson, Module
from app.extensions import db
from app.learning import services as learning
from app.learning.models import Cohort, Programme
from app.reports import cohorts
from tests.assessments.conftest import write_quiz_course
from tests.assessments.test_quizzes import attempt_id, right_answers, start
from tests.conftest import csrf_token, import_folder, post_form, sign_in, write_course
from tests.reports.conftest import read_csv

SLUG = "water-basics"  # taught by the instructor; the learner's course
OTHER_SLUG = "sewer-basics"  # taught by the other instructor only
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)

# The columns of every row of the table, in this order.
VISITORS = (
    "signed_out",
    "learner",  # enrolled in the course through the cohort; owns the attempt and certificate
    "other_learner",  # enrolled in the same course through the other cohort
    "instructor",  # teaches the course
    "other_instructor",  # teaches another course only
    "officer",  # reports on the learner's cohort
    "other_officer",  # reports on the other cohort only
    "admin",
)
S = SIGN_IN = "302 to /sign-in"
REFUSED = {SIGN_IN, 403, 404}

# Common audiences, spelled out once. Columns: signed out, learner, other learner,
# instructor, other instructor, officer, other officer, admin.
EVERYONE = (200, 200, 200, 200, 200, 200, 200, 200)
REDIRECTED = (302, 302, 302, 302, 302, 302, 302, 302)
SIGNED_IN = (S, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_REDIRECTED = (S, 302, 302, 302, 302, 302, 302, 302)
TEACHERS = (S, 403, 403, 200, 200, 403, 403, 200)
COURSE_STAFF = (S, 403, 403, 200, 403, 403, 403, 200)
COURSE_STAFF_REDIRECTED = (S, 403, 403, 302, 403, 403, 403, 302)
OFFICERS = (S, 403, 403, 403, 403, 200, 200, 200)
OFFICERS_REDIRECTED = (S, 403, 403, 403, 403, 302, 302, 302)
ADMIN_REDIRECTED = (S, 403, 403, 403, 403, 403, 403, 302)

EXPECTED = {
    "site.index": {"GET": (200, 302, 302, 302, 302, 302, 302, 302)},
    "site.healthz": {"GET": EVERYONE},
    "site.set_language": {"POST": REDIRECTED},
    "assets.serve": {"GET": EVERYONE},
    "accounts.register": {"GET": (200, 302, 302, 302, 302, 302, 302, 302),
                          "POST": (200, 302, 302, 302, 302, 302, 302, 302)},
    "accounts.sign_in": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.forgot_password": {"GET": EVERYONE, "POST": EVERYONE},
    # With the learner's real token: the token is the credential, whoever holds it.
    "accounts.reset_password": {"GET": EVERYONE, "POST": EVERYONE},
    # A POST without the fields keeps the values shown in the form, and saves them.
    "accounts.profile": {"GET": SIGNED_IN, "POST": SIGNED_IN_REDIRECTED},
    "accounts.change_password": {"POST": SIGNED_IN},
    "accounts.sign_out": {"POST": REDIRECTED},
    "courses.catalogue": {"GET": EVERYONE},
    "courses.course": {"GET": EVERYONE},
    "courses.media": {"GET": EVERYONE},
    "learning.dashboard": {"GET": SIGNED_IN},
    # Lessons and quizzes need an enrolment: anyone else is sent to the course page.
    "learning.lesson": {"GET": (S, 200, 200, 302, 302, 302, 302, 302)},
    "learning.enrol": {"POST": SIGNED_IN_REDIRECTED},
    "learning.complete_lesson": {"POST": SIGNED_IN_REDIRECTED},
    "learning.join_cohort": {"POST": SIGNED_IN_REDIRECTED},
    "assessments.quiz": {"GET": (S, 200, 200, 302, 302, 302, 302, 302)},
    "assessments.start": {"POST": SIGNED_IN_REDIRECTED},
    # The learner's attempt: nobody else, not even an admin, learns that it exists.
    "assessments.attempt": {"GET": (S, 200, 404, 404, 404, 404, 404, 404),
                            "POST": (S, 302, 404, 404, 404, 404, 404, 404)},
    "assessments.import_questions": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "assessments.confirm_questions": {"POST": COURSE_STAFF_REDIRECTED},
    "assessments.export_questions": {"GET": COURSE_STAFF},
    "assessments.statistics": {"GET": COURSE_STAFF},
    "assessments.essays": {"GET": COURSE_STAFF},
    "assessments.mark_essay": {"POST": COURSE_STAFF_REDIRECTED},
    "certificates.lookup": {"GET": EVERYONE},
    "certificates.verify": {"GET": EVERYONE},
    "certificates.public_key": {"GET": EVERYONE},
    "certificates.badge": {"GET": EVERYONE},
    "certificates.signed_badge": {"GET": EVERYONE},
    "certificates.jwks": {"GET": EVERYONE},
    # The owner, officers of the learner's cohort and admins; anyone else gets 404, not a
    # hint that it exists. Revoking: the same officers and admins.
    "certificates.pdf": {"GET": (S, 200, 404, 404, 404, 200, 404, 200)},
    "certificates.revoke": {"POST": (S, 403, 403, 403, 403, 302, 403, 302)},
    "authoring.index": {"GET": TEACHERS},
    "authoring.new_course": {"GET": TEACHERS, "POST": TEACHERS},
    "authoring.import_zip": {"GET": TEACHERS, "POST": TEACHERS},
    "authoring.course": {"GET": COURSE_STAFF},
    "authoring.edit_course": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.add_instructor": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.upload_media": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.add_module": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.edit_module": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.move_module": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.delete_module": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.new_lesson": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.edit_lesson": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.move_lesson": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.delete_lesson": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.module_quiz": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.final_quiz": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.delete_quiz": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.new_question": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.edit_question": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.delete_question": {"GET": COURSE_STAFF, "POST": COURSE_STAFF_REDIRECTED},
    "authoring.publish": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.withdraw": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.preview_course": {"GET": COURSE_STAFF},
    "authoring.preview_lesson": {"GET": COURSE_STAFF},
    "authoring.preview_quiz": {"GET": COURSE_STAFF},
    "authoring.export": {"GET": COURSE_STAFF},
    "authoring.translations": {"GET": COURSE_STAFF},
    "authoring.translate": {"GET": COURSE_STAFF, "POST": COURSE_STAFF},
    "authoring.mark_reviewed": {"POST": COURSE_STAFF_REDIRECTED},
    "authoring.learners": {"GET": COURSE_STAFF},
    "reports.dashboard": {"GET": OFFICERS},
    "reports.export_csv": {"GET": OFFICERS},
    "reports.export_xlsx": {"GET": OFFICERS},
    "reports.learners": {"GET": OFFICERS},
    "reports.learners_csv": {"GET": OFFICERS},
    "reports.learners_xlsx": {"GET": OFFICERS},
    "reports.cohorts_page": {"GET": OFFICERS},
    "reports.new_cohort": {"GET": OFFICERS, "POST": OFFICERS_REDIRECTED},
    # The learner's cohort: its officer and admins only.
    "reports.cohort": {"GET": (S, 403, 403, 403, 403, 200, 403, 200)},
    # Only admins decide who reports on what, even the cohort's own officer may not.
    "reports.add_cohort_officer": {"POST": ADMIN_REDIRECTED},
    "reports.add_programme": {"POST": ADMIN_REDIRECTED},
    "reports.add_programme_officer": {"POST": ADMIN_REDIRECTED},
}  # fmt: skip

# Allowed POSTs act, so the ones that take apart what later requests use come last.
LAST_POSTS = (
    "authoring.delete_question",
    "authoring.delete_quiz",
    "authoring.delete_lesson",
    "authoring.delete_module",
    "authoring.publish",
    "authoring.withdraw",
    "accounts.sign_out",
)


@dataclass
class World:
    app: Flask
    users: dict[str, User]
    ids: dict[str, int | str] = field(default_factory=dict)

    def client(self, visitor: str):
        client = self.app.test_client()
        if visitor != "signed_out":
            sign_in(client, self.users[visitor])
        return client

    def url(self, endpoint: str, **changes) -> str:
        """The endpoint's URL for the world's own objects (or for `changes`)."""
        values = {**self.url_values(endpoint), **changes}
        rule = next(rule for rule in self.app.url_map.iter_rules() if rule.endpoint == endpoint)
        query = "?kind=single" if endpoint == "authoring.new_question" else ""
        return rule.build({name: values[name] for name in rule.arguments})[1] + query

    def url_values(self, endpoint: str) -> dict:
        ids = self.ids
        quiz_key = "meters" if endpoint == "assessments.start" else "final"
        lesson_endpoint = endpoint in ("learning.lesson", "learning.complete_lesson",
                                       "authoring.preview_lesson")  # fmt: skip
        return {
            "slug": SLUG,
            "key": "reading-meters" if lesson_endpoint else quiz_key,
            "token": ids["reset_token"],
            "filename": ids["asset"],
            "name": ids["media"],
            "code": ids["certificate_code"],
            "attempt_id": ids["attempt"],
            "answer_id": ids["essay_answer"],
            "locale": "fr",
            "module_id": ids["module"],
            "lesson_id": ids["lesson"],
            "quiz_id": ids["quiz"],
            "question_id": ids["question"],
            "kind": "lesson",
            "item_id": ids["lesson"],
            "cohort_id": ids["cohort"],
            "programme_id": ids["programme"],
        }

    def post_data(self, endpoint: str) -> dict:
        """Form data that would change something if the POST were accepted."""
        ids, users = self.ids, self.users
        return {
            "assessments.attempt": {"action": "submit"},
            "assessments.mark_essay": {f"essay{ids['essay_answer']}-mark": "100"},
            "authoring.add_instructor": {"email": users["other_instructor"].email},
            "authoring.add_module": {"module-title": "A module from elsewhere"},
            "authoring.move_module": {"direction": "down"},
            "authoring.move_lesson": {"direction": "down"},
            "certificates.revoke": {"reason": "Revoked by the access audit."},
            "reports.new_cohort": {"name": "A cohort from elsewhere", "courses": ids["course"]},
            "reports.add_cohort_officer": {"email": users["other_officer"].email},
            "reports.add_programme": {"name": "A programme from elsewhere"},
            "reports.add_programme_officer": {
                f"programme{ids['programme']}-email": users["other_officer"].email
            },
        }.get(endpoint, {})


@pytest.fixture
def quick_passwords(monkeypatch):
    """Cheap password hashes: each world signs in a dozen times, and this module audits
    access, not hashing (scrypt would take most of its time)."""
    quick = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr(accounts, "generate_password_hash", quick)


@pytest.fixture
def world(app, quick_passwords, create_user, runner, course_root) -> World:
    """The course taught by the instructor, with the learner's attempt, essay answer and
    certificate; the learner's cohort (in a programme) and another cohort of the course."""
    write_quiz_course(course_root)
    write_course(course_root, slug=OTHER_SLUG)
    import_folder(app, course_root)
    names = {
        "learner": ("learner", "Amina Diallo"),
        "other_learner": ("learner", "Kofi Mensah"),
        "instructor": ("instructor", "Ines Teacher"),
        "other_instructor": ("instructor", "Ivo Teacher"),
        "officer": ("officer", "Olga Officer"),
        "other_officer": ("officer", "Omar Officer"),
        "admin": ("admin", "Ada Admin"),
    }
    users = {visitor: create_user(role=role, name=name) for visitor, (role, name) in names.items()}
    world = World(app, users)
    for slug, visitor in ((SLUG, "instructor"), (OTHER_SLUG, "other_instructor")):
        args = ["lms", "add-instructor", "--course", slug, "--email", users[visitor].email]
        assert runner.invoke(args=args).exit_code == 0
    codes = _cohorts_and_programme(app, world)
    _learner_takes_the_final(app, world, codes)
    _instructor_starts_a_draft(app, world)
    _collect_ids(app, world)
    return world


def _cohorts_and_programme(app, world: World) -> dict[str, str]:
    with app.test_request_context():
        course = find_course(SLUG)
        cohort = learning.create_cohort("Dakar water team", [course], country="SN")
        other = learning.create_cohort("Nairobi water team", [course], country="KE")
        cohorts.add_officer(cohort, world.users["officer"].email)
        cohorts.add_officer(other, world.users["other_officer"].email)
        programme = cohorts.create_programme("Clean water programme")
        cohort.programme_id = programme.id
        db.session.commit()
        world.ids.update(course=course.id, cohort=cohort.id, programme=programme.id)
        return {"learner": cohort.join_code, "other_learner": other.join_code}


def _learner_takes_the_final(app, world: World, codes: dict[str, str]) -> None:
    """Both learners enrol through their cohort; the learner submits the final test (its
    essay then waits for a mark) and gets a certificate."""
    for visitor, code in codes.items():
        client = world.client(visitor)
        enrolled = post_form(client, f"/courses/{SLUG}/enrol", {"cohort_code": code},
                             token_from=f"/courses/{SLUG}")  # fmt: skip
        assert enrolled.status_code == 302
        if visitor == "learner":
            location = start(client, f"/courses/{SLUG}/quizzes/final")
            answers = {**right_answers(app, attempt_id(location)), "action": "submit"}
            assert post_form(client, location, answers, token_from=location).status_code == 302
            world.ids["attempt"] = attempt_id(location)
    with app.app_context():
        enrolment = learning.find_enrolment(world.users["learner"].id, world.ids["course"])
        world.ids["certificate_code"] = issue_certificate(enrolment).code
        db.session.commit()


def _instructor_starts_a_draft(app, world: World) -> None:
    """The instructor opens the course for editing (making its draft) and adds an image."""
    client = world.client("instructor")
    assert client.get(f"/teach/courses/{SLUG}").status_code == 200
    upload = post_form(client, f"/teach/courses/{SLUG}/media",
                       {"image": (io.BytesIO(PNG), "chart.png")}, token_from="/teach",
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 302


def _collect_ids(app, world: World) -> None:
    with app.test_request_context():
        draft = find_course(SLUG, draft=True)
        module = _one(Module, course_id=draft.id, key="meters")
        world.ids.update(
            draft=draft.id,
            module=module.id,
            lesson=_one(Lesson, course_id=draft.id, key="reading-meters").id,
            quiz=_one(Quiz, course_id=draft.id, key="meters").id,
            question=_one(Question, course_id=draft.id, key="m-single").id,
            media=_one(CourseMedia, course_id=draft.id).stored_name,
            essay_answer=db.session.scalar(
                select(AttemptAnswer.id).where(
                    AttemptAnswer.attempt_id == world.ids["attempt"],
                    AttemptAnswer.fraction.is_(None),
                )
            ),
            reset_token=accounts.make_reset_token(db.session.get(User, world.users["learner"].id)),
            asset=asset_url("css/site.css").removeprefix("/assets/"),
        )
        assert db.session.get(Attempt, world.ids["attempt"]).is_awaiting_marking
        assert world.ids["essay_answer"] is not None


def _one(model, **where):
    return db.session.scalars(select(model).filter_by(**where)).one()


def database_state(app) -> dict[str, list[str]]:
    """Every row of every table, to show that a refused request changed nothing."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in db.metadata.sorted_tables
        }


def outcome(response):
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/sign-in"):
        return SIGN_IN
    return response.status_code


def visits() -> list[tuple[str, str]]:
    gets = [("GET", endpoint) for endpoint in EXPECTED if "GET" in EXPECTED[endpoint]]
    posts = [endpoint for endpoint in EXPECTED if "POST" in EXPECTED[endpoint]]
    posts.sort(key=lambda endpoint: LAST_POSTS.index(endpoint) if endpoint in LAST_POSTS else -1)
    return gets + [("POST", endpoint) for endpoint in posts]


def test_every_route_and_method_is_in_the_table(app):
    registered = {
        rule.endpoint: sorted(rule.methods & {"GET", "POST"}) for rule in app.url_map.iter_rules()
    }
    assert registered == {endpoint: sorted(methods) for endpoint, methods in EXPECTED.items()}
    for endpoint, methods in EXPECTED.items():
        for row in methods.values():
            assert len(row) == len(VISITORS), endpoint


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_gets_exactly_the_expected_status_on_every_route(app, world, visitor):
    """GET every route, then POST (with a valid CSRF token) to every route that takes it;
    a refused request must leave every row of the database as it was."""
    client = world.client(visitor)
    token = csrf_token(client, "/sign-in" if visitor == "signed_out" else "/account")
    column = VISITORS.index(visitor)
    wrong = []
    state = None  # the database as it is now, while only refused requests follow each other
    for method, endpoint in visits():
        expected = EXPECTED[endpoint][method][column]
        url = world.url(endpoint)
        if expected in REFUSED and state is None:
            state = database_state(app)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token, **world.post_data(endpoint)})
        with response:
            got = outcome(response)
        if got != expected:
            wrong.append(f"{method} {url} ({endpoint}) as {visitor}: {got}, expected {expected}")
        if expected not in REFUSED:
            state = None
            continue
        after = database_state(app)
        if after != state:
            wrong.append(f"{method} {url} ({endpoint}) as {visitor}: refused, yet changed rows")
        state = after
    assert not wrong, "\n".join(wrong)


def test_another_instructor_cannot_reach_the_courses_objects_through_their_own_course(app, world):
    client = world.client("other_instructor")
    assert client.get(f"/teach/courses/{OTHER_SLUG}").status_code == 200  # makes their draft
    token = csrf_token(client, "/account")
    id_names = {"answer_id", "module_id", "lesson_id", "quiz_id", "question_id", "item_id"}
    targets = [
        (rule.endpoint, method, kind)
        for rule in app.url_map.iter_rules()
        if id_names & set(rule.arguments)
        for method in sorted(rule.methods & {"GET", "POST"})
        for kind in (("course", "module", "lesson", "question") if "kind" in rule.arguments
                     else (None,))
    ]  # fmt: skip
    item_ids = {"course": world.ids["draft"], "module": world.ids["module"],
                "lesson": world.ids["lesson"], "question": world.ids["question"]}  # fmt: skip
    assert len(targets) >= 20
    before = database_state(app)
    wrong = []
    for endpoint, method, kind in targets:
        changes = {"slug": OTHER_SLUG}
        if kind:
            changes.update(kind=kind, item_id=item_ids[kind])
        url = world.url(endpoint, **changes)
        data = {"csrf_token": token, **world.post_data(endpoint)}
        response = client.get(url) if method == "GET" else client.post(url, data=data)
        with response:
            if response.status_code != 404:
                wrong.append(f"{method} {url} ({endpoint}): {response.status_code}, expected 404")
    assert not wrong, "\n".join(wrong)
    assert database_state(app) == before
    # The same addresses with their own course's objects do open.
    with app.app_context():
        own = find_course(OTHER_SLUG, draft=True)
        module = _one(Module, course_id=own.id, key="meters")
    own_module = world.url("authoring.edit_module", slug=OTHER_SLUG, module_id=module.id)
    assert client.get(own_module).status_code == 200


def test_officers_see_only_the_learners_of_the_cohorts_they_report_on(app, world):
    learner, other = world.users["learner"].name, world.users["other_learner"].name
    # Asking for the learner's cohort by its id narrows an admin's view, and must not widen
    # the other officer's.
    by_cohort = f"?cohort={world.ids['cohort']}"
    cases = [
        ("officer", "", {learner}),
        ("officer", by_cohort, {learner}),
        ("other_officer", "", {other}),
        ("other_officer", by_cohort, {other}),
        ("admin", "", {learner, other}),
        ("admin", by_cohort, {learner}),
    ]
    for visitor, query, sees in cases:
        client = world.client(visitor)
        page = client.get(f"/reports/learners{query}").get_data(as_text=True)
        with client.get(f"/reports/learners.csv{query}") as response:
            rows = read_csv(response)
        assert {learner, other} & {row[0] for row in rows[1:]} == sees, (visitor, query)
        for name in (learner, other):
            assert (name in page) == (name in sees), (visitor, query, name)
        cohorts_page = client.get("/reports/cohorts").get_data(as_text=True)
        assert ("Dakar water team" in cohorts_page) == (visitor != "other_officer"), visitor


def test_refused_posts_leave_the_learners_objects_as_they_were(app, world):
    """The other learner, the instructors and the other cohort's officer cannot revoke the
    certificate, the other instructor cannot mark the essay nor join the course's staff, and
    no officer may make themself an officer of the learner's cohort or programme."""
    ids, users = world.ids, world.users
    refusals = [
        ("other_learner", "certificates.revoke"),
        ("learner", "certificates.revoke"),
        ("instructor", "certificates.revoke"),
        ("other_officer", "certificates.revoke"),
        ("other_officer", "assessments.mark_essay"),
        ("other_instructor", "assessments.mark_essay"),
        ("other_instructor", "authoring.add_instructor"),
        ("other_officer", "reports.add_cohort_officer"),
        ("other_officer", "reports.add_programme_officer"),
        ("officer", "reports.add_cohort_officer"),
    ]
    for visitor, endpoint in refusals:
        client = world.client(visitor)
        data = {"csrf_token": csrf_token(client, "/account"), **world.post_data(endpoint)}
        assert client.post(world.url(endpoint), data=data).status_code == 403, (visitor, endpoint)
    with app.app_context():
        certificate = db.session.scalar(
            select(Certificate).where(Certificate.code == ids["certificate_code"])
        )
        assert certificate.revoked_at is None and certificate.revoked_reason is None
        assert db.session.get(AttemptAnswer, ids["essay_answer"]).fraction is None
        for course_id in (ids["course"], ids["draft"]):
            teachers = {user.id for user in db.session.get(Course, course_id).instructors}
            assert teachers == {users["instructor"].id}
        cohort = db.session.get(Cohort, ids["cohort"])
        assert {user.id for user in cohort.officers} == {users["officer"].id}
        assert db.session.get(Programme, ids["programme"]).officers == []
    # The same POST by staff does act: the refusals above were not for a broken form.
    admin = world.client("admin")
    revoke = world.url("certificates.revoke")
    assert post_form(admin, revoke, world.post_data("certificates.revoke")).status_code == 302
    with app.app_context():
        assert db.session.scalar(
            select(Certificate.revoked_at).where(Certificate.code == ids["certificate_code"])
        )
