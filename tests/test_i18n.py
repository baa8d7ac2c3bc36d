"""Every catalog is complete and consistent with the source, and locales are chosen in order."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import LOCALES
from tests.conftest import post_form, sign_in

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
TRANSLATED = [locale for locale in LOCALES if locale != "en"]


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    """The messages the code marks today, extracted afresh with the project's babel.cfg."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
    found = extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_is_complete_and_placeholders_match(locale, source_messages):
    catalog = read_catalog(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    problems = []
    ids = set()
    for message in catalog:
        if not message.id:
            continue
        singular, plural = (message.id, None) if isinstance(message.id, str) else message.id
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        ids.add(singular)
        expected = sorted(PLACEHOLDER.findall(plural or singular))
        if message.fuzzy:
            problems.append(f"fuzzy: {singular!r}")
        if not all(forms):
            problems.append(f"untranslated: {singular!r}")
        elif any(sorted(PLACEHOLDER.findall(form)) != expected for form in forms):
            problems.append(f"placeholders differ: {singular!r} -> {forms!r}")
    missing = source_messages - ids
    problems += [f"not in catalog (run make translations): {text!r}" for text in sorted(missing)]
    assert not problems, "\n".join(problems)


def test_the_locale_comes_from_accept_language_then_english(client):
    page = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"})
    assert '<html lang="pt" dir="ltr">' in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="en" dir="ltr">' in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "%%%garbage;;q=x"})
    assert '<html lang="en" dir="ltr">' in page.get_data(as_text=True)


def test_arabic_pages_are_right_to_left_and_translated(client):
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "Skip to main content" not in page


def test_the_switcher_beats_accept_language_for_visitors(client):
    post_form(client, "/language", {"locale": "zh", "next": "/sign-in"})
    page = client.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="zh"' in page


def test_the_saved_choice_beats_everything_and_the_switcher_saves_it(app, client, create_user):
    user = create_user(locale="ru")
    sign_in(client, user)
    page = client.get("/account", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="ru"' in page
    response = post_form(client, "/language", {"locale": "sw", "next": "/account"})
    assert response.headers["Location"] == "/account"
    from app.accounts.models import User
    from app.extensions import db

    with app.app_context():
        assert db.session.get(User, user.id).locale == "sw"


def test_unknown_locale_is_refused_with_a_message_and_changes_nothing(client):
    spanish = {"Accept-Language": "es"}
    response = post_form(client, "/language", {"locale": "xx", "next": "/"}, headers=spanish)
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "Ese idioma no está disponible. Elija uno de la lista." in page
    with client.session_transaction() as session:
        assert "locale" not in session


def test_switcher_never_redirects_off_site(client):
    response = post_form(client, "/language", {"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_switcher_is_a_plain_form_on_every_page(client):
    for url in ("/", "/sign-in", "/register", "/password/forgot", "/no-such-page"):
        page = client.get(url).get_data(as_text=True)
        assert 'action="/language"' in page, url
        assert 'value="ar"' in page and "العربية" in page, url
