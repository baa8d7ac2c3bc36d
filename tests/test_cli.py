import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


def users(app) -> list[tuple[str, str]]:
    with app.app_context():
        return list(db.session.execute(select(User.email, User.role).order_by(User.email)))


def test_create_user_with_any_role(app, runner):
    args = ["lms", "create-user", "--email", "Boss@Example.org", "--name", "Nadia Kamal",
            "--role", "admin", "--country", "eg", "--locale", "ar",
            "--password", "olive tree harbour 7"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert users(app) == [("boss@example.org", "admin")]


def test_create_user_refuses_bad_input_and_changes_nothing(app, runner, create_user):
    create_user(email="taken@example.org")
    base = ["lms", "create-user", "--name", "N K", "--country", "EG"]
    cases = [
        ["--email", "taken@example.org", "--password", "olive tree harbour 7"],
        ["--email", "new@example.org", "--password", "short"],
        ["--email", "new@example.org", "--password", "olive tree harbour 7", "--role", "boss"],
        ["--email", "new@example.org", "--password", "olive tree harbour 7", "--locale", "de"],
        ["--email", "not-an-email", "--password", "olive tree harbour 7"],
    ]
    for extra in cases:
        result = runner.invoke(args=base + extra)
        assert result.exit_code != 0, extra
        assert "Traceback" not in result.output
    bad_country = runner.invoke(
        args=["lms", "create-user", "--name", "N K", "--country", "QQ",
              "--email", "new@example.org", "--password", "olive tree harbour 7"]
    )  # fmt: skip
    assert bad_country.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_seed_demo_is_idempotent(app, runner):
    for _ in range(2):
        result = runner.invoke(args=["lms", "seed-demo"])
        assert result.exit_code == 0, result.output
    assert [role for _email, role in users(app)] == ["admin", "instructor", "learner", "officer"]


def test_seed_demo_lets_the_demo_instructor_teach_courses_nobody_teaches(app, runner, mini_course):
    from app.courses.importer import find_course

    assert runner.invoke(args=["lms", "seed-demo"]).exit_code == 0
    with app.app_context():
        course = find_course("water-basics")
        assert [user.email for user in course.instructors] == ["instructor@example.org"]


@pytest.fixture
def runner_on_sqlite(tmp_path):
    """The embedded default, whatever engine the rest of the run uses."""
    from app import create_app
    from tests.conftest import make_config

    app = create_app(make_config(f"sqlite:///{tmp_path / 'site.sqlite3'}"))
    with app.app_context():
        db.create_all()
    yield app, app.test_cli_runner()
    with app.app_context():
        db.engine.dispose()


def test_backup_copies_the_sqlite_database_of_a_running_site(tmp_path, runner_on_sqlite):
    import sqlite3

    app, runner = runner_on_sqlite
    with app.app_context():
        db.session.add(User(email="a@example.org", name="Awa", password_hash="x",
                            role="learner", country="SN", locale="fr"))  # fmt: skip
        db.session.commit()
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["lms", "backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM users").fetchall() == [("Awa",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    again = runner.invoke(args=["lms", "backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    from app import create_app
    from tests.conftest import make_config
    from tests.site.test_faults import SERVER

    app = create_app(make_config(SERVER))
    result = app.test_cli_runner().invoke(args=["lms", "backup", str(tmp_path / "x.sqlite3")])
    assert result.exit_code != 0 and "pg_dump" in result.output
    assert not (tmp_path / "x.sqlite3").exists()
