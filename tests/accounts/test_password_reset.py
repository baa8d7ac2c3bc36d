import logging
import re

from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD, post_form, sign_in

NEW_PASSWORD = "yellow baobab sunrise"


def request_reset(client, caplog, email):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="app.mail"):
        response = post_form(client, "/password/forgot", {"email": email}, token_from="/sign-in")
    mails = [record.getMessage() for record in caplog.records if record.name == "app.mail"]
    return response, mails


def reset_link(mail: str) -> str:
    return re.search(r"http://localhost(/password/reset/\S+)", mail).group(1)


def test_reset_mails_a_link_in_the_users_language_that_works_once(client, caplog, create_user):
    user = create_user(locale="fr", name="Moussa Traoré")
    response, mails = request_reset(client, caplog, user.email)
    assert response.status_code == 302
    assert len(mails) == 1
    assert "Bonjour Moussa Traoré" in mails[0]
    link = reset_link(mails[0])

    form = post_form(
        client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=link
    )
    assert form.headers["Location"] == "/sign-in"
    sign_in(client, user, NEW_PASSWORD)

    again = client.get(link)
    assert again.status_code == 400
    assert 'href="/password/forgot"' in again.get_data(as_text=True), "offers a new link"


def test_unknown_email_gets_the_same_answer_and_no_mail(client, caplog):
    response, mails = request_reset(client, caplog, "nobody@example.org")
    assert response.status_code == 302
    assert mails == []
    page = client.get("/sign-in").get_data(as_text=True)
    assert "If an account uses that address" in page


def test_wrong_or_tampered_tokens_are_refused(app, client, create_user):
    user = create_user()
    with app.test_request_context():
        token = services.make_reset_token(db.session.get(User, user.id))
    for bad in ("nonsense", token[:-2] + "xx", token + "x"):
        response = client.get(f"/password/reset/{bad}")
        assert response.status_code == 400
        assert "This link no longer works" in response.get_data(as_text=True)
    posted = client.post(f"/password/reset/{token[:-2]}xx", data={"password": NEW_PASSWORD})
    assert posted.status_code == 400
    sign_in(client, user, PASSWORD)


def test_expired_tokens_are_refused(app, client, create_user, monkeypatch):
    user = create_user()
    with app.test_request_context():
        token = services.make_reset_token(db.session.get(User, user.id))
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(f"/password/reset/{token}").status_code == 400


def test_a_weak_new_password_is_refused(app, client, create_user):
    user = create_user(email="kofi@example.org")
    with app.test_request_context():
        token = services.make_reset_token(db.session.get(User, user.id))
    link = f"/password/reset/{token}"
    response = post_form(
        client, link, {"password": "kofi-password", "confirm": "kofi-password"}, token_from=link
    )
    assert response.status_code == 200
    assert "Do not use your name or email address" in response.get_data(as_text=True)
    sign_in(client, user, PASSWORD)
