"""Account services called directly, without HTTP."""

import pytest

from app.accounts import services
from app.extensions import db

REGISTRATION = dict(
    name="Thandiwe Moyo", email="thandi@example.org", password="green valley bus 12",
    country="ZW", locale="en",
)  # fmt: skip


@pytest.mark.parametrize(
    ("password", "weak"),
    [
        ("green valley bus 12", False),
        ("短いけれど十分に長いパスワードです", False),
        ("123456789", True),
        ("qwertyuiop", True),
        ("abababababab", True),
        ("moyo-thandiwe!", True),
        ("thandi2026!!", True),
        ("x" * 129, True),
    ],
)
def test_password_problem(app, password, weak):
    with app.test_request_context():
        problem = services.password_problem(password, email="thandi@example.org", name="Moyo")
    assert (problem is not None) == weak


def test_a_second_account_with_the_same_email_raises_email_taken(app):
    with app.app_context():
        services.register_user(services.Registration(**REGISTRATION))
        db.session.commit()
        with pytest.raises(services.EmailTaken):
            services.register_user(
                services.Registration(**{**REGISTRATION, "email": "THANDI@example.org"})
            )


def test_authenticate_is_case_insensitive_on_email_and_strict_on_password(app):
    with app.app_context():
        services.register_user(services.Registration(**REGISTRATION))
        db.session.commit()
        assert services.authenticate(" Thandi@Example.org", "green valley bus 12") is not None
        assert services.authenticate("thandi@example.org", "green valley bus 13") is None


def test_a_reset_token_dies_when_the_password_changes(app):
    with app.test_request_context():
        user = services.register_user(services.Registration(**REGISTRATION))
        db.session.commit()
        token = services.make_reset_token(user)
        assert services.user_from_reset_token(token) == user
        services.set_password(user, "another fine password")
        db.session.commit()
        assert services.user_from_reset_token(token) is None


def test_a_session_id_dies_when_the_password_changes(app):
    with app.app_context():
        user = services.register_user(services.Registration(**REGISTRATION))
        db.session.commit()
        session_id = user.get_id()
        assert services.user_from_session_id(session_id) == user
        services.set_password(user, "another fine password")
        assert services.user_from_session_id(session_id) is None
        assert services.user_from_session_id("nonsense") is None
        assert services.user_from_session_id(f"{user.id}") is None
