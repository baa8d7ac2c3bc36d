from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, post_form, sign_in

DETAILS = {
    "name": "Grace Achieng",
    "country": "UG",
    "locale": "sw",
    "gender": "",
    "organisation": "",
}


def test_profile_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_profile_changes_name_country_and_language(app, client, create_user):
    user = create_user(name="Grace A.", locale="en")
    sign_in(client, user)
    response = post_form(
        client, "/account", {**DETAILS, "organisation": "Makerere"}, token_from="/account"
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.name, saved.country, saved.locale, saved.organisation) == (
            "Grace Achieng",
            "UG",
            "sw",
            "Makerere",
        )
    page = client.get("/account", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="sw"' in page, "the saved language wins over the browser's"


def test_profile_refuses_bad_input_and_changes_nothing(app, client, create_user):
    user = create_user(name="Grace A.")
    sign_in(client, user)
    for changes in ({"name": ""}, {"name": "x" * 121}, {"locale": "xx"}, {"country": "ZZ"}):
        response = post_form(client, "/account", {**DETAILS, **changes}, token_from="/account")
        assert response.status_code == 200, changes
        assert "Please correct the fields marked below." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).name == "Grace A."


def test_change_password_checks_the_current_one(app, client, create_user):
    user = create_user()
    sign_in(client, user)
    new = "blue mango river 42"
    wrong = post_form(
        client,
        "/account/password",
        {"current_password": "not my password", "password": new, "confirm": new},
        token_from="/account",
    )
    assert "Your current password is wrong." in wrong.get_data(as_text=True)
    right = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": new, "confirm": new},
        token_from="/account",
    )
    assert right.status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})
    sign_in(client, user, new)


def test_profile_page_runs_a_bounded_number_of_queries(client, create_user, count_queries):
    sign_in(client, create_user())
    with count_queries() as queries:
        assert client.get("/account").status_code == 200
    assert len(queries) <= 2, queries


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client)
