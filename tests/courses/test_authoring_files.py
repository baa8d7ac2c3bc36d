"""Export and import of course zips in the browser, images, and the learners page."""

import io
import os
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from app.courses.exporter import course_zip
from app.courses.files import read_course
from app.courses.importer import find_course
from app.courses.models import Course
from app.extensions import db
from tests.conftest import post_form, sign_in
from tests.courses.conftest import COURSE, page, post, publish

SEED = Path(__file__).resolve().parents[2] / "courses"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(client, data: bytes, name="course.zip"):
    return post(client, "/teach/import", {"archive": (io.BytesIO(data), name)},
                content_type="multipart/form-data")  # fmt: skip


def course_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Course))


def test_a_seed_course_zip_imports_as_a_draft_and_exports_the_same(app, teacher_client):
    source, _problems = read_course(SEED / "responsible-ai")
    with app.test_request_context():
        data = course_zip(source)
    response = upload(teacher_client, data)
    assert response.status_code == 302, page(response)
    assert response.headers["Location"] == "/teach/courses/responsible-ai"
    assert teacher_client.get("/courses/responsible-ai").status_code == 404  # a draft
    publish(teacher_client, "responsible-ai")
    assert teacher_client.get("/courses/responsible-ai").status_code == 200
    exported = teacher_client.get("/teach/courses/responsible-ai/export.zip")
    assert exported.headers["Content-Type"] == "application/zip"
    assert exported.data == data


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_bad_zips_get_a_clear_message_and_change_nothing(app, teacher_client, mini_course):
    cases = [
        (_zip({"../../etc/course.yml": b"slug: x"}), "outside its folder"),
        (_zip({"c/course.yml": b"x", "c/big.md": b"\0" * 30_000_000}), "unpacks to more than"),
        (b"not a zip at all", "not a zip archive"),
        (_zip({"c/course.yml": b"slug: [unclosed"}), "course.yml:"),
    ]
    for data, message in cases:
        response = upload(teacher_client, data)
        assert response.status_code == 200
        assert message in page(response)
    assert course_count(app) == 1


def test_a_zip_over_the_size_limit_is_refused(app, teacher_client, monkeypatch):
    # A smaller limit for the test: the client spools large bodies to files it never closes.
    monkeypatch.setattr("app.courses.exporter.MAX_ZIP_BYTES", 300_000)
    noise = os.urandom(310_000)  # does not compress
    response = upload(teacher_client, _zip({"c/course.yml": noise}))
    assert response.status_code == 200
    assert "This file is too large (over 0.3 MB)." in page(response)
    assert course_count(app) == 0


def test_a_zip_cannot_overwrite_someone_elses_course(app, teacher_client, mini_course):
    with app.test_request_context():
        from app.courses.exporter import course_source

        data = course_zip(course_source(find_course("water-basics"), published=True))
    response = upload(teacher_client, data)
    assert "A course with this short name exists already." in page(response)
    with app.app_context():
        assert find_course("water-basics", draft=True) is None


def test_images_are_added_to_the_course_and_usable_in_lessons(app, teacher_client, small_draft):
    modules, lessons = small_draft
    response = post(teacher_client, "/teach/courses/open-data/media",
                    {"image": (io.BytesIO(PNG), "Water Chart.PNG")},
                    content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
    assert "media/water-chart.png" in page(response)
    body = "![A chart](media/water-chart.png){width=600 height=400}"
    saved = post(teacher_client, f"/teach/courses/open-data/lessons/{lessons[0]}",
                 {"title": "T", "body": body, "module_id": modules[0], "revision": 1,
                  "save": "Save"})  # fmt: skip
    assert saved.status_code == 302
    for name, data, message in [
        ("notes.txt", b"hello", "Images must be PNG, JPEG, WebP or GIF files."),
        ("fake.png", b"<svg onload=alert(1)>", "is not a PNG, JPEG, WebP or GIF image"),
    ]:
        response = post(teacher_client, "/teach/courses/open-data/media",
                        {"image": (io.BytesIO(data), name)},
                        content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
        assert message in page(response)
    with app.app_context():
        assert [item.name for item in find_course("open-data", draft=True).media] == [
            "water-chart.png"
        ]


def test_the_learners_page_shows_progress_and_scores(app, teacher_client, small_draft, create_user):
    publish(teacher_client)
    learner = create_user(name="Wanjiru Learner")
    client = app.test_client()
    sign_in(client, learner)
    post_form(client, "/courses/open-data/enrol", {}, token_from="/courses/open-data")
    post_form(client, "/courses/open-data/lessons/open-formats/complete", {},
              token_from="/courses/open-data")  # fmt: skip
    learners = page(teacher_client.get("/teach/courses/open-data/learners"))
    assert "Wanjiru Learner" in learners
    assert "50%" in learners
    assert "1 learner is enrolled." in learners
    assert teacher_client.get("/teach/courses/open-data/learners?page=-3").status_code == 200


def test_learners_page_queries_do_not_grow_with_learners(
    app, teacher_client, small_draft, create_user, count_queries
):
    publish(teacher_client)

    def enrol_one():
        client = app.test_client()
        sign_in(client, create_user())
        post_form(client, "/courses/open-data/enrol", {}, token_from="/courses/open-data")

    def measure():
        with count_queries() as queries:
            teacher_client.get("/teach/courses/open-data/learners")
        return len(queries)

    enrol_one()
    before = measure()
    for _n in range(3):
        enrol_one()
    assert measure() == before <= 12


def test_questions_imported_from_gift_go_into_the_draft(app, teacher_client, small_draft):
    publish(teacher_client)
    gift = b"$CATEGORY: finding-data\n::q1::Is CSV open? {TRUE}\n"
    response = post(teacher_client, "/teach/courses/open-data/questions/import",
                    {"bank": (io.BytesIO(gift), "en.gift"), "locale": "en"},
                    content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 200
    import re

    upload_name = re.search(r'name="upload" type="hidden" value="([0-9a-f]+)"', page(response))
    post(teacher_client, "/teach/courses/open-data/questions/import/confirm",
         {"upload": upload_name.group(1), "locale": "en"})  # fmt: skip
    with app.app_context():
        from app.assessments.models import Question

        owners = set(db.session.scalars(select(Question.course_id)))
        assert owners == {find_course("open-data", draft=True).id}


def test_a_new_course_slug_may_not_collide_with_a_draft(app, teacher_client):
    post(teacher_client, "/teach/new", COURSE)
    response = post(teacher_client, "/teach/new", COURSE)
    assert "A course with this short name exists already." in page(response)
