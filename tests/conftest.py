"""Fixtures: an app on a scratch database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
emptied after every test, a client, users of each role, and helpers for forms and queries."""

import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from app import create_app
from app.accounts import services as accounts
from app.accounts.models import User
from app.certificates.signing import generate_key_pem
from app.extensions import db

ADMIN_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery staple"


def _scratch_postgres() -> str:
    """Create an empty PostgreSQL database of our own, so no one's data is touched."""
    name = f"passerelle_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(ADMIN_DATABASE_URL)
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    admin = make_url(ADMIN_DATABASE_URL)
    name = make_url(url).database
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def scratch_database(tmp_path) -> Iterator[str]:
    """A URL to a new, empty database on the engine under test."""
    if not ADMIN_DATABASE_URL:
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite3'}"
        return
    url = _scratch_postgres()
    try:
        yield url
    finally:
        _drop_postgres(url)


# Never read a developer's own instance/passerelle.cfg during tests.
TEST_INSTANCE = tempfile.mkdtemp(prefix="passerelle-test-instance-")
TEST_SIGNING_KEY = generate_key_pem()


def make_config(database_url: str, **overrides) -> dict:
    config = {
        "INSTANCE_PATH": TEST_INSTANCE,
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
        "CERTIFICATE_SIGNING_KEY": TEST_SIGNING_KEY,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """One database for the whole run, its schema built once from the models."""
    with scratch_database(tmp_path_factory.mktemp("db")) as url:
        app = create_app(make_config(url))
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url


@pytest.fixture
def app_config() -> dict:
    """Per-test configuration overrides; tests override this fixture or update the dict."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    # No app context stays pushed during the test: requests must each get their own `g`,
    # as they do in production. Tests that read the database open one with `app.app_context()`.
    app = create_app(make_config(database_url, **app_config))
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def make_app():
    """Create extra apps (a second server, a production config); their pools close after."""
    made = []

    def make(config: dict):
        made.append(create_app(config))
        return made[-1]

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app) -> Callable[..., User]:
    """Make a user: create_user(role="officer", email=..., locale=...)."""
    counter = iter(range(1, 10_000))

    def create(role: str = "learner", **fields) -> User:
        number = next(counter)
        registration = accounts.Registration(
            name=fields.pop("name", f"Test {role.title()} {number}"),
            email=fields.pop("email", f"{role}{number}@example.org"),
            password=fields.pop("password", PASSWORD),
            country=fields.pop("country", "KE"),
            locale=fields.pop("locale", "en"),
            role=role,
            **fields,
        )
        with app.app_context():
            user = accounts.register_user(registration)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return create


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/") -> str:
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    match = CSRF_PATTERN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, *, token_from: str = "/", **kwargs):
    """POST a form the way a browser would: with the CSRF token of the session."""
    return client.post(url, data={"csrf_token": csrf_token(client, token_from), **data}, **kwargs)


def sign_in(client, user: User, password: str = PASSWORD):
    response = post_form(
        client, "/sign-in", {"email": user.email, "password": password}, token_from="/sign-in"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as queries:` block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


MINI_MANIFEST = """\
slug: {slug}
source_language: en
level: beginner
estimated_hours: 2.5
published: {published}
title:
  en: Water data basics
  fr: Les bases des données sur l'eau
summary:
  en: Reading the numbers a water utility collects.
  fr: Lire les chiffres qu'un service des eaux collecte.
modules:
  - key: meters
    title:
      en: Meters
      fr: Compteurs
    lessons:
      - key: reading-meters
      - key: leaks
      - key: history
        required: false
  - key: reports
    title:
      en: Reports
      fr: Rapports
    lessons:
      - key: monthly-report
"""

MINI_LESSONS = {
    "en": {
        "reading-meters": "# Reading meters\n\nA meter counts **cubic metres**.\n",
        "leaks": "# Finding leaks\n\nCompare night and day.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "history": "# A short history\n\nMeters are old.\n",
        "monthly-report": "# The monthly report\n\nSum the readings.\n",
    },
    "fr": {
        "reading-meters": "# Lire un compteur\n\nUn compteur mesure des **mètres cubes**.\n",
        "leaks": "# Trouver les fuites\n\nComparez le débit de nuit et de jour.\n",
        "history": "# Un peu d’histoire\n\nLes compteurs sont anciens.\n",
    },
}


def write_course(root: Path, slug: str = "water-basics", published: bool = True) -> Path:
    """A small course folder: two modules, four lessons (one optional), French lacks one."""
    folder = root / slug
    (folder / "lessons").mkdir(parents=True)
    manifest = MINI_MANIFEST.format(slug=slug, published=str(published).lower())
    (folder / "course.yml").write_text(manifest, encoding="utf-8")
    for locale, lessons in MINI_LESSONS.items():
        (folder / "lessons" / locale).mkdir()
        for key, text in lessons.items():
            (folder / "lessons" / locale / f"{key}.md").write_text(text, encoding="utf-8")
    return folder


def import_folder(app, path: Path):
    """Read and import course folders; fails the test on any file problem."""
    from app.courses.files import read_courses
    from app.courses.importer import import_courses

    with app.test_request_context():
        sources, problems = read_courses(path)
        assert not problems, [str(problem) for problem in problems]
        report = import_courses(sources)
        db.session.commit()
    return report


@pytest.fixture
def course_root(tmp_path) -> Path:
    root = tmp_path / "courses"
    root.mkdir()
    return root


@pytest.fixture
def mini_course(app, course_root):
    """The small course, imported and published; returns its folder."""
    folder = write_course(course_root)
    import_folder(app, course_root)
    return folder
