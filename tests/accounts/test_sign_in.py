import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, post_form, sign_in


def attempt(client, email, password, **extra):
    data = {"email": email, "password": password, **extra}
    return post_form(client, "/sign-in", data, token_from="/sign-in")


def test_sign_in_with_the_right_password_records_the_time(app, client, create_user):
    user = create_user()
    response = attempt(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(User, user.id).last_sign_in_at is not None
    assert "My account" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_wrong_password_or_unknown_email_get_the_same_message(client, create_user):
    user = create_user()
    for email, password in ((user.email, "wrong password here"), ("who@example.org", PASSWORD)):
        response = attempt(client, email, password)
        assert response.status_code == 200
        assert "The email address or the password is wrong." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_deactivated_accounts_cannot_sign_in(app, client, create_user):
    user = create_user()
    with app.app_context():
        db.session.get(User, user.id).is_active = False
        db.session.commit()
    assert attempt(client, user.email, PASSWORD).status_code == 200


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, create_user):
    user = create_user()
    assert client.get("/account").headers["Location"] == "/sign-in?next=%2Faccount"
    response = attempt(client, user.email, PASSWORD, next="/account")
    assert response.headers["Location"] == "/account"
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = attempt(client, user.email, PASSWORD, next=target)
        assert response.headers["Location"] == "/", target
        client.post("/sign-out", data={"csrf_token": csrf_token(client)})


def test_sign_in_starts_a_new_session(client, create_user):
    """A session planted before sign-in (session fixation) does not survive it."""
    user = create_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    attempt(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_sign_out_needs_a_post_with_csrf(client, create_user):
    sign_in(client, create_user())
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/account").status_code == 200
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_demo_users_can_sign_in(app, client, runner):
    result = runner.invoke(args=["lms", "seed-demo"])
    assert "passerelle-demo" in result.output
    with app.app_context():
        roles = set(db.session.scalars(select(User.role)))
    assert roles == {"learner", "instructor", "officer", "admin"}
    assert attempt(client, "officer@example.org", "passerelle-demo").status_code == 302


def test_a_password_change_signs_out_every_other_session(app, create_user):
    user = create_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    new = "quiet lagoon morning 8"
    post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "confirm": new},
        token_from="/account",
    )
    assert laptop.get("/account").status_code == 200, "the session that changed it stays"
    assert phone.get("/account").status_code == 302, "the other one must sign in again"


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_SIGN_IN": "3 per minute",
            "RATELIMIT_REGISTER": "2 per minute",
        }

    def test_sign_in_is_throttled_after_repeated_attempts(self, client, create_user):
        user = create_user()
        for _ in range(3):
            assert attempt(client, user.email, "wrong password!").status_code == 200
        response = attempt(client, user.email, PASSWORD)
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)
        assert client.get("/account").status_code == 302

    def test_registration_is_throttled(self, client):
        for _ in range(2):
            post_form(client, "/register", {"email": "bad"}, token_from="/register")
        response = post_form(client, "/register", {"email": "bad"}, token_from="/register")
        assert response.status_code == 429
