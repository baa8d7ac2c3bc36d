"""Faults: the database server restarting under a running app."""

import gc
import os

import psycopg
import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from app import create_app
from app.accounts.models import User
from app.accounts.services import Registration, register_user
from app.extensions import db
from tests.conftest import _drop_postgres, _libpq, csrf_token, make_config, post_form, sign_in

SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


# SQLAlchemy drops a connection whose ping failed without psycopg seeing it closed, and
# psycopg says so when it is collected: harmless, and not ours to change.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_connections_lost_in_a_postgresql_restart_are_replaced(monkeypatch):
    """A restart of PostgreSQL cuts every pooled connection; the next requests still work and
    what they acknowledge is stored."""
    from sqlalchemy.engine import make_url

    import tests.conftest as fixtures

    monkeypatch.setattr(fixtures, "ADMIN_DATABASE_URL", SERVER)
    url = fixtures._scratch_postgres()
    app = create_app(make_config(url))
    try:
        with app.app_context():
            db.create_all()
            user = register_user(
                Registration("Awa", "awa@example.org", fixtures.PASSWORD, "SN", "fr")
            )
            db.session.commit()
            user_id = user.id
            db.session.expunge(user)
        client = app.test_client()
        sign_in(client, user)
        assert client.get("/account").status_code == 200
        # What a restart does to the app's pooled connections: the server ends them.
        with psycopg.connect(_libpq(make_url(url)), autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
        assert ended >= 1
        assert client.get("/account").status_code == 200
        response = post_form(client, "/language", {"locale": "sw", "next": "/account"})
        assert response.status_code == 302
        with app.app_context():
            assert db.session.scalar(select(User.locale).where(User.id == user_id)) == "sw"
            db.engine.dispose()
    finally:
        gc.collect()  # the dropped connections go now, under this test's warning filter
        _drop_postgres(url)


def test_a_database_out_of_reach_gets_a_503_asking_to_retry(app, client, create_user):
    """While the server is down, a signed-in learner's request gets a page that says to try
    again, in the browser's language, rendered without the database; not a 500."""
    down = False

    @app.before_request
    def database_down():
        if down:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    sign_in(client, create_user(locale="fr"))
    down = True
    response = client.get("/dashboard", headers={"Accept-Language": "fr"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Nothing was saved" not in page and "Rien" in page


def test_a_commit_that_fails_midway_gets_the_503_in_the_users_language(
    app, client, create_user, monkeypatch
):
    """The connection drops at the commit, after the user was loaded: the page still renders
    (in the user's saved language), and the failed change is not kept."""
    user = create_user(locale="fr")
    sign_in(client, user)

    lost = Exception("the database system is shutting down")
    down = False

    def connection_lost():
        nonlocal down
        down = True
        raise OperationalError("COMMIT", {}, lost)

    def refuse_statements(*_args):
        if down:  # from the failed commit on, the server answers nothing
            raise OperationalError("SELECT", {}, lost)

    token = csrf_token(client, "/account")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse_statements)
    monkeypatch.setattr(db.session, "commit", connection_lost)
    try:
        response = client.post("/language", data={"csrf_token": token, "locale": "sw"})
    finally:
        monkeypatch.undo()
        event.remove(engine, "before_cursor_execute", refuse_statements)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert '<html lang="fr"' in page and "Rien n’a été enregistré" in page
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.id == user.id)) == "fr"
