"""The factory: configuration layers, refusal of the development secret, database URLs."""

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
