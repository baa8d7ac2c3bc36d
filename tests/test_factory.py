"""The factory: configuration layers, refusal of the development secret, database URLs."""

import re

import pytest

from app import create_app
from app.config import environment_overrides
from tests.conftest import TEST_INSTANCE


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": TEST_INSTANCE, "DATABASE_URL": "sqlite://"})


def test_production_starts_with_a_real_secret_and_secure_cookies():
    app = create_app(
        {"INSTANCE_PATH": TEST_INSTANCE, "SECRET_KEY": "a" * 64, "DATABASE_URL": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_is_secure_httponly_and_samesite_in_production(make_app, database_url):
    app = make_app(
        {"INSTANCE_PATH": TEST_INSTANCE, "SECRET_KEY": "a" * 64, "DATABASE_URL": database_url}
    )
    client = app.test_client()
    response = client.get("/sign-in", base_url="https://passerelle.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_environment_variables_override_defaults_with_their_types(monkeypatch):
    environ = {
        "DATABASE_URL": "postgresql://db.example/passerelle",
        "RATELIMIT_ENABLED": "false",
        "MAIL_PORT": "2525",
        "UNRELATED": "ignored",
    }
    overrides = environment_overrides(environ)
    assert overrides == {
        "DATABASE_URL": "postgresql://db.example/passerelle",
        "RATELIMIT_ENABLED": False,
        "MAIL_PORT": 2525,
    }


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_postgres_urls_use_psycopg_3(given, expected):
    app = create_app({"INSTANCE_PATH": TEST_INSTANCE, "TESTING": True, "DATABASE_URL": given})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_sqlite_in_the_instance_folder_by_default(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    expected = f"sqlite:///{tmp_path / 'instance' / 'passerelle.sqlite3'}"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_instance_config_file_is_read(tmp_path):
    (tmp_path / "passerelle.cfg").write_text("SITE_NAME = 'Passerelle Sénégal'\n")
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SITE_NAME"] == "Passerelle Sénégal"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    from sqlalchemy import text

    from app.extensions import db

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    app = create_app({"INSTANCE_PATH": TEST_INSTANCE, "TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_rate_limits_use_redis_when_redis_url_is_set():
    app = create_app(
        {"INSTANCE_PATH": TEST_INSTANCE, "TESTING": True, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    app = create_app({"INSTANCE_PATH": TEST_INSTANCE, "TESTING": True})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_a_malformed_number_in_the_environment_is_named():
    with pytest.raises(RuntimeError, match="MAIL_PORT must be a whole number"):
        environment_overrides({"MAIL_PORT": "twenty-five"})


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """A write that meets another connection's open write transaction waits for it."""
    import sqlite3
    import threading
    import time

    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db

    path = tmp_path / "busy.sqlite3"
    app = create_app({"INSTANCE_PATH": TEST_INSTANCE, "TESTING": True,
                      "DATABASE_URL": f"sqlite:///{path}"})  # fmt: skip
    with app.app_context():
        db.create_all()
        locked = threading.Event()

        def hold_the_write_lock():
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE users SET name = name")
            locked.set()
            time.sleep(0.5)
            other.execute("COMMIT")
            other.close()

        releaser = threading.Thread(target=hold_the_write_lock)
        releaser.start()
        locked.wait()
        started = time.perf_counter()
        db.session.add(User(email="a@example.org", name="A", password_hash="x", role="learner",
                            country="KE", locale="en"))  # fmt: skip
        db.session.commit()
        waited = time.perf_counter() - started
        releaser.join()
        assert waited >= 0.4
        assert db.session.scalar(select(User.name)) == "A"
        db.engine.dispose()


def test_log_lines_name_the_request_and_the_user(app, client, create_user, capsys):
    import logging

    from tests.conftest import sign_in

    @app.route("/noisy")
    def noisy():
        logging.getLogger("app.accounts.services").warning("something to look at")
        return "ok"

    user = create_user()
    sign_in(client, user)
    client.get("/noisy")
    line = next(line for line in capsys.readouterr().err.splitlines() if "look at" in line)
    assert line.endswith(f"WARNING app.accounts.services GET /noisy user={user.id}: "
                         "something to look at")  # fmt: skip
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ", line)


def test_list_settings_come_comma_separated_and_dict_settings_only_from_the_file():
    assert environment_overrides({"COMPRESS_ALGORITHM": " gzip, br ,"}) == {
        "COMPRESS_ALGORITHM": ["gzip", "br"]
    }
    with pytest.raises(RuntimeError, match="SQLALCHEMY_ENGINE_OPTIONS can only be set in"):
        environment_overrides({"SQLALCHEMY_ENGINE_OPTIONS": "pool_pre_ping"})
