"""Certificate PDFs: WeasyPrint from an HTML template, in the certificate's language, with a
QR code to the verification page. The PDF is cached per certificate, language and template
version, and can always be rebuilt from the database."""

from pathlib import Path

import segno
from flask import current_app, render_template, url_for
from flask_babel import force_locale
from markupsafe import Markup
from weasyprint import HTML

from app.certificates import codes
from app.certificates.models import Certificate
from app.i18n import pick_translation

# Raise when the template or its styles change: cached PDFs are then rendered afresh.
TEMPLATE_VERSION = 1


def refuse_fetch(url: str, *args, **kwargs):
    """The template needs nothing from outside: no file://, no network."""
    raise ValueError(f"certificate templates may not load {url}")


def cache_path(certificate: Certificate, locale: str) -> Path:
    folder = Path(current_app.instance_path) / "certificates"
    return folder / f"{certificate.code}-{locale}-v{TEMPLATE_VERSION}.pdf"


def certificate_pdf(certificate: Certificate, locale: str) -> bytes:
    """The PDF, from the cache when it was rendered before."""
    path = cache_path(certificate, locale)
    if path.exists():
        return path.read_bytes()
    pdf = render_certificate(certificate, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(pdf)
    temporary.replace(path)
    return pdf


def render_certificate(certificate: Certificate, locale: str) -> bytes:
    content = certificate.content
    course = content["course"]
    title, _fallback = pick_translation(course["titles"], locale, course["source_language"])
    link = url_for("certificates.verify", code=codes.format_code(certificate.code), _external=True)
    qr = Markup(segno.make(link, error="m").svg_inline(scale=4, omitsize=True))  # noqa: S704 - segno's own SVG
    with force_locale(locale):
        html = render_template(
            "certificates/pdf.html",
            certificate=certificate,
            title=title,
            link=link,
            qr=qr,
            code=codes.format_code(certificate.code),
            locale=locale,
        )
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
