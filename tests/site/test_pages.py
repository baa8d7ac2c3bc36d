"""Health check, error pages, security headers and cached static files."""

import gzip
import re

import brotli
import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests.conftest import sign_in


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_not_found_page_is_friendly_and_translated(client):
    response = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Page not found" not in page
    assert 'href="/"' in page


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}


def test_an_unexpected_error_shows_the_500_page(app, client):
    @app.route("/explode")
    def explode():
        raise RuntimeError("boom")

    response = client.get("/explode", headers={"Accept-Language": "es"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "boom" not in page and "Traceback" not in page


def test_wrong_method_gets_the_405_page(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "That action is not allowed here" in response.get_data(as_text=True)


def test_too_large_requests_get_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/register", data={"name": "x" * 4096})
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/sign-in", "/register", "/nowhere", "/healthz"])
def test_security_headers_on_every_kind_of_response(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_hold_no_inline_script_or_style(client, create_user):
    sign_in(client, create_user())
    for url in ("/", "/account", "/nowhere"):
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page, url
        assert "style=" not in page and "<style" not in page, url
        assert not re.search(r"<[^>]+\son[a-z]+=", page), url


def test_pages_are_not_cached_but_assets_are_immutable(client):
    page = client.get("/")
    assert page.headers["Cache-Control"] == "no-store"
    css = re.search(r'href="(/assets/css/site\.[0-9a-f]{12}\.css)"', page.get_data(as_text=True))
    assert css, "the stylesheet has its content hash in its name"
    with client.get(css.group(1)) as asset:
        assert asset.status_code == 200
        assert "immutable" in asset.headers["Cache-Control"]
        assert "max-age=31536000" in asset.headers["Cache-Control"]


def test_stale_or_forged_asset_names_are_not_found(client):
    for url in (
        "/assets/css/site.000000000000.css",
        "/assets/css/site.css",
        "/assets/..%2f__init__.000000000000.py",
        "/assets/../app/__init__.py",
    ):
        assert client.get(url).status_code == 404, url


def test_no_web_fonts_and_one_small_stylesheet(client):
    page = client.get("/").get_data(as_text=True)
    assert page.count('rel="stylesheet"') == 1
    css_url = re.search(r'href="(/assets/css/[^"]+)"', page).group(1)
    with client.get(css_url) as response:
        css = response.get_data(as_text=True)
    assert "@font-face" not in css and "@import" not in css
    assert len(css.encode()) < 8 * 1024


def test_home_page_runs_a_bounded_number_of_queries(client, create_user, count_queries):
    with count_queries() as anonymous:
        client.get("/")
    assert anonymous == []
    sign_in(client, create_user())
    with count_queries() as signed_in:
        client.get("/")
    assert len(signed_in) == 1, signed_in


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    plain = client.get("/courses").get_data()
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/courses", headers={"Accept-Encoding": f"{encoding}, deflate"})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(response.get_data()) < len(plain) / 2
        assert decompress(response.get_data()) == plain


def test_stylesheets_are_compressed_and_stay_immutable(client):
    page = client.get("/").get_data(as_text=True)
    css_url = re.search(r'href="(/assets/css/[^"]+)"', page).group(1)
    with client.get(css_url) as plain:
        css = plain.get_data()
    with client.get(css_url, headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert brotli.decompress(response.get_data()) == css
