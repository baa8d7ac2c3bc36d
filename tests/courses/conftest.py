"""Helpers for the authoring tests: an instructor's client and a small draft course."""

import pytest
from sqlalchemy import select

from app.courses.importer import find_course
from app.courses.models import Course, Lesson, Module
from app.extensions import db
from tests.conftest import csrf_token, sign_in

COURSE = {
    "title": "Open data for ministries",
    "slug": "open-data",
    "source_locale": "en",
    "summary": "How to publish useful data.",
    "level": "beginner",
    "estimated_hours": "2.5",
}


@pytest.fixture
def teacher(create_user):
    return create_user(role="instructor", name="Amina Teacher")


@pytest.fixture
def teacher_client(app, client, teacher):
    sign_in(client, teacher)
    return client


def post(client, url: str, data: dict, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, "/teach"), **data}, **kwargs)


def page(response) -> str:
    return response.get_data(as_text=True)


def create_course(client, **changes):
    response = post(client, "/teach/new", {**COURSE, **changes})
    assert response.status_code == 302, page(response)
    return response


def draft(app, slug="open-data") -> Course:
    with app.app_context():
        course = find_course(slug, draft=True)
        db.session.expunge_all()
        return course


def ids(app, model, slug="open-data", live=False) -> list[int]:
    with app.app_context():
        course = find_course(slug, draft=not live)
        query = select(model.id).where(model.course_id == course.id).order_by(model.position)
        if model is Lesson:
            query = query.order_by(None).order_by(Lesson.module_id, Lesson.position)
        return list(db.session.scalars(query))


def add_module(client, title, slug="open-data"):
    response = post(client, f"/teach/courses/{slug}/modules", {"module-title": title})
    assert response.status_code == 302


def add_lesson(client, app, module_id, title, body="Some **text**.", slug="open-data"):
    response = post(
        client,
        f"/teach/courses/{slug}/modules/{module_id}/lessons/new",
        {"title": title, "body": body, "is_required": "y", "module_id": module_id, "save": "Save"},
    )
    assert response.status_code == 302, page(response)


@pytest.fixture
def small_draft(app, teacher_client):
    """A draft with two modules of one lesson each; returns (module ids, lesson ids)."""
    create_course(teacher_client)
    add_module(teacher_client, "Finding data")
    add_module(teacher_client, "Publishing data")
    modules = ids(app, Module)
    add_lesson(teacher_client, app, modules[0], "What counts as data")
    add_lesson(teacher_client, app, modules[1], "Open formats")
    return modules, ids(app, Lesson)


def publish(client, slug="open-data"):
    response = post(client, f"/teach/courses/{slug}/publish", {})
    assert response.status_code == 302
    return client.get(response.headers["Location"])
