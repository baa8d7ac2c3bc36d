"""Certificate PDFs: every locale and other scripts render with real glyphs, the text comes
back out, and rendering is cached."""

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy import select

from app.certificates import pdf as certificate_pdfs
from app.certificates.models import Certificate
from app.extensions import db
from app.i18n import LOCALES
from tests.certificates.test_certificates import complete_course

SEED = Path(__file__).resolve().parents[2] / "courses" / "ai-foundations" / "course.yml"
HEADINGS = {  # the translated heading each locale's certificate must show
    "en": "Certificate of completion",
}
NAMES = {
    "en": "Wanjiru Kamau",
    "fr": "Aminata Sow",
    "es": "Lucía Fernández",
    "ar": "فاطمة الزهراء",
    "zh": "李秀英",
    "ru": "Наталья Иванова",
    "pt": "João Gonçalves",
    "sw": "Neema Mushi",
}
OTHER_SCRIPTS = {
    "Amharic": "አበበ በቀለ",
    "Hindi": "अमित कुमार",
    "Bengali": "ফারহানা রহমান",
    "Thai": "สมชาย ใจดี",
    "Korean": "김민수",
}


def certificate(name: str) -> Certificate:
    titles = yaml.safe_load(SEED.read_text(encoding="utf-8"))["title"]
    content = {
        "version": 1,
        "code": "7K2P9QXM4D1R8WZT0",
        "learner": name,
        "course": {
            "slug": "ai-foundations",
            "titles": titles,
            "source_language": "en",
            "hours": "6",
        },
        "completed_on": "2026-11-25",
        "issuer": "Passerelle",
    }
    return Certificate(code="7K2P9QXM4D1R8WZT0", content=content, completed_on=date(2026, 11, 25))


def render(app, name: str, locale: str) -> bytes:
    with app.test_request_context():
        return certificate_pdfs.render_certificate(certificate(name), locale)


def embedded_fonts(data: bytes) -> list[tuple[str, int]]:
    """The font files (and collection index) whose subsets the PDF embeds, via fontconfig."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            base = str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            family, _sep, style = base.replace("-", " ").partition(" Bold")
            pattern = family + (":bold" if _sep else "")
            located = subprocess.run(
                ["fc-match", "-f", "%{file}\t%{index}", pattern], capture_output=True, text=True
            ).stdout
            path, index = located.split("\t")
            found.append((path, int(index or 0)))
    return found


def covered_characters(data: bytes) -> set[int]:
    """Every character the embedded fonts have a glyph for (fontTools on the font programs)."""
    covered: set[int] = set()
    for path, index in embedded_fonts(data):
        with TTFont(path, fontNumber=index, lazy=True) as font:
            covered |= set(font.getBestCmap())
    return covered


def text_of(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def assert_renders(data: bytes, *texts: str) -> None:
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595, "A4 landscape"
    extracted, covered = set(text_of(data)), covered_characters(data)
    for text in texts:
        characters = {char for char in text if not char.isspace()}
        boxes = {char for char in characters if ord(char) not in covered}
        assert not boxes, f"drawn as empty boxes (no embedded font has them): {sorted(boxes)}"
        missing = characters - extracted
        assert not missing, f"not found in the PDF's text: {sorted(missing)}"


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_renders_with_real_glyphs(app, locale):
    titles = yaml.safe_load(SEED.read_text(encoding="utf-8"))["title"]
    data = render(app, NAMES[locale], locale)
    with app.test_request_context(), app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale(locale):
            heading = gettext("Certificate of completion")
    assert_renders(data, NAMES[locale], titles[locale], heading)


@pytest.mark.parametrize("script", sorted(OTHER_SCRIPTS))
def test_names_in_other_scripts_render(app, script):
    assert_renders(render(app, OTHER_SCRIPTS[script], "en"), OTHER_SCRIPTS[script])


def test_the_check_catches_empty_boxes(app):
    # Private-use characters: no installed font has them, so they are drawn as empty boxes.
    with pytest.raises(AssertionError, match="empty boxes"):
        assert_renders(render(app, "Name \ue000\ue001", "en"), "Name \ue000\ue001")


def test_rendering_is_cached_and_a_new_template_version_renders_afresh(app, monkeypatch):
    calls = []
    real = certificate_pdfs.render_certificate

    def counting(cert, locale):
        calls.append(locale)
        return real(cert, locale)

    monkeypatch.setattr(certificate_pdfs, "render_certificate", counting)
    cert = certificate("Wanjiru Kamau")
    with app.test_request_context():
        for path in Path(app.instance_path, "certificates").glob(f"{cert.code}-*"):
            path.unlink()
        first = certificate_pdfs.certificate_pdf(cert, "fr")
        assert certificate_pdfs.certificate_pdf(cert, "fr") == first
        assert calls == ["fr"]
        monkeypatch.setattr(
            certificate_pdfs, "TEMPLATE_VERSION", certificate_pdfs.TEMPLATE_VERSION + 1
        )
        certificate_pdfs.certificate_pdf(cert, "fr")
        assert calls == ["fr", "fr"]


def test_downloads_are_for_their_owner_and_staff_only(app, client, create_user, mini_course):
    from tests.conftest import sign_in

    owner = create_user(name="Wanjiru Kamau")
    complete_course(app, owner.id)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    url = f"/certificates/{code}.pdf"
    assert client.get(url).status_code == 302, "sign in first"
    sign_in(client, owner)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Wanjiru Kamau" in text_of(response.data)
    assert client.get(f"{url}?lang=zh").status_code == 404, "the course is not in Chinese"
    assert client.get("/certificates/0000-0000-0000-0000-0.pdf").status_code == 404
    # Officers read learners' certificates only for the cohorts they report on.
    for role, status in (("learner", 404), ("officer", 404), ("admin", 200)):
        other = app.test_client()
        sign_in(other, create_user(role=role))
        assert other.get(url).status_code == status, role


def test_the_owner_finds_the_pdf_in_each_available_language(app, client, create_user, mini_course):
    from tests.conftest import sign_in

    owner = create_user(name="Wanjiru Kamau")
    complete_course(app, owner.id)
    with app.app_context():
        code = db.session.scalar(select(Certificate.code))
    assert ".pdf" not in app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    sign_in(client, owner)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert f'href="/certificates/{code}.pdf?lang=en"' in page
    assert "lang=fr" not in page, "the course is not complete in French"
