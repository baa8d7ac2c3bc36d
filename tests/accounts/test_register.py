from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, post_form

VALID = {
    "name": "Awa Ndiaye",
    "email": "awa@example.org",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "country": "SN",
    "locale": "fr",
    "gender": "",
    "organisation": "",
}


def register(client, **changes):
    return post_form(client, "/register", {**VALID, **changes}, token_from="/register")


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def only_user(app) -> User:
    with app.app_context():
        return db.session.scalars(select(User)).one()


def test_register_creates_a_learner_and_signs_them_in(app, client):
    response = register(client, gender="female", organisation=" Ministère du Numérique ")
    assert response.status_code == 302
    user = only_user(app)
    assert (user.name, user.email, user.role, user.country, user.locale) == (
        "Awa Ndiaye",
        "awa@example.org",
        "learner",
        "SN",
        "fr",
    )
    assert user.gender == "female"
    assert user.organisation == "Ministère du Numérique"
    assert user.password_hash.startswith("scrypt:")
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Awa Ndiaye" in home


def test_optional_fields_may_stay_empty(app, client):
    assert register(client).status_code == 302
    user = only_user(app)
    assert user.gender is None and user.organisation is None


def test_the_form_says_what_gender_and_organisation_are_for(client):
    page = client.get("/register").get_data(as_text=True)
    assert "used only for aggregate reports" in page


def test_countries_are_listed_in_the_page_language(client):
    page = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<option value="SN">Sénégal</option>' in page
    assert '<option value="CI">Côte d’Ivoire</option>' in page


def test_duplicate_email_is_refused_whatever_its_case(app, client, create_user):
    create_user(email="awa@example.org")
    response = register(client, email="  AWA@Example.org ")
    assert response.status_code == 200
    assert "An account with this email address already exists." in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_malformed_email_is_refused(app, client):
    response = register(client, email="awa-at-example")
    assert "Enter a valid email address" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_weak_passwords_are_refused_with_the_reason(app, client):
    cases = {
        "short": "Use at least 10 characters.",
        "password123": "too easy to guess",
        "aaaaaaaaaaaa": "too easy to guess",
        "awa-ndiaye-2026": "Do not use your name or email address",
    }
    for password, reason in cases.items():
        response = register(client, password=password, confirm=password)
        assert reason in response.get_data(as_text=True), password
    assert user_count(app) == 0


def test_passwords_must_match(app, client):
    response = register(client, confirm=PASSWORD + "x")
    assert "The two passwords differ." in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_overlong_fields_are_refused_without_a_server_error(app, client):
    for field, length in {"name": 121, "organisation": 201, "password": 129}.items():
        value = "x" * length
        changes = {field: value, "confirm": value} if field == "password" else {field: value}
        response = register(client, **changes)
        assert response.status_code == 200, field
        assert "Use at most" in response.get_data(as_text=True), field
    long_email = "a" * 250 + "@example.org"
    assert "Use at most 254 characters." in register(client, email=long_email).get_data(
        as_text=True
    )
    assert user_count(app) == 0


def test_unknown_country_language_or_gender_is_refused(app, client):
    for changes in ({"country": "XX"}, {"locale": "de"}, {"gender": "robot"}):
        response = register(client, **changes)
        assert response.status_code == 200
        assert "Choose one of the options in the list." in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_errors_are_shown_in_the_language_of_the_page(client):
    response = post_form(
        client,
        "/register",
        {**VALID, "email": "nope"},
        token_from="/register",
        headers={"Accept-Language": "fr"},
    )
    page = response.get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Saisissez une adresse e-mail valide" in page


def test_missing_csrf_token_gets_the_400_page_and_changes_nothing(app, client):
    response = client.post("/register", data=VALID)
    assert response.status_code == 400
    assert "Something in that request was not right" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_a_signed_in_user_is_sent_home(client, create_user):
    from tests.conftest import sign_in

    sign_in(client, create_user())
    assert client.get("/register").status_code == 302
