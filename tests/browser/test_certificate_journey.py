"""A learner completes a course, downloads the certificate and opens the verification link
printed on it; an officer revokes it, and the same link then says revoked."""

import io
import re

import pytest
from pypdf import PdfReader

from app.accounts.models import User
from app.courses.importer import find_course
from app.extensions import db
from app.learning.services import create_cohort
from tests.browser.conftest import PHONE, Auditor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
COURSE = "/courses/water-basics"


def sign_in(page, email):
    page.goto("/sign-in")
    page.audit()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.audit()


def test_download_verify_and_revoke(app, page, browser, live_server, create_user, mini_course):
    create_user(email="learner@example.org", name="Wanjiru Kamau")
    officer_id = create_user(email="officer@example.org", role="officer").id
    with app.app_context():  # the officer reports on the cohort the learner joins
        cohort = create_cohort("Nairobi water team", [find_course("water-basics")])
        cohort.officers.append(db.session.get(User, officer_id))
        db.session.commit()
        code = cohort.join_code
    sign_in(page, "learner@example.org")
    page.goto(COURSE)
    page.audit()
    page.locator("#cohort_code").fill(code)
    page.locator(f"form[action='{COURSE}/enrol'] button").click()
    page.audit()
    for _ in range(4):
        page.locator("form[action$='/complete'] button").click()
        page.audit()
    page.goto("/dashboard")
    page.audit()
    pdf_link = page.locator("a[href$='.pdf']").get_attribute("href")
    download = page.request.get(pdf_link)
    assert download.ok and download.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(download.body())).pages[0].extract_text()
    assert "Wanjiru Kamau" in text
    link = re.search(r"https?://\S+/verify/[0-9A-Z-]+", text).group(0)
    path = link.split("/verify/", 1)[1]

    page.goto(f"/verify/{path}")
    page.audit()
    assert "This certificate is valid." in page.locator(".verdict").inner_text()

    officer_context = browser.new_context(viewport=PHONE, base_url=live_server)
    officer = officer_context.new_page()
    officer.audit = Auditor(officer)
    sign_in(officer, "officer@example.org")
    officer.goto(f"/verify/{path}")
    officer.audit()
    officer.locator("#reason").fill("The final exam was taken by someone else.")
    officer.locator("form[action$='/revoke'] button").click()
    officer.audit()
    officer_context.close()

    page.reload()
    page.audit()
    assert "This certificate was revoked on" in page.locator(".verdict").inner_text()
    assert "The final exam was taken by someone else." in page.locator("main").inner_text()
