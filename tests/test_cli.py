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
