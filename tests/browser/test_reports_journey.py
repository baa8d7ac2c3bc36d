"""A programme officer filters completions for one cohort and one country, reads the charts,
and downloads the XLSX and the CSV, which hold the figures the page shows."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.learning.models import Cohort
from tests.conftest import PASSWORD
from tests.reports.conftest import population  # noqa: F401 - the hand-counted learners

pytestmark = pytest.mark.browser


def test_officer_filters_reads_the_charts_and_downloads_both_files(
    page,
    app,
    create_user,
    population,  # noqa: F811
):
    app.config["REPORT_MIN_CELL"] = 1
    officer = create_user(role="officer", email="officer@example.org")
    with app.app_context():
        from app.accounts.models import User

        user = db.session.get(User, officer.id)
        for key in ("dakar", "nairobi"):
            cohort = db.session.get(Cohort, population[key])
            cohort.officers.append(user)
        db.session.commit()
    page.goto("/sign-in")
    page.audit()
    page.locator("#email").fill("officer@example.org")
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.audit()
    page.locator("a[href='/reports']").click()
    page.audit()

    page.locator("#cohort").select_option(label="Dakar 2026")
    page.locator("#country").select_option("SN")
    page.locator("form.filters button[type=submit]").click()
    page.audit()
    assert f"cohort={population['dakar']}" in page.url and "country=SN" in page.url
    assert page.locator("svg.chart").count() == 7
    figures = dict(
        zip(
            page.locator(".figures dt").all_inner_texts(),
            page.locator(".figures dd").all_inner_texts(),
            strict=True,
        )
    )
    assert (figures["Enrolled"], figures["Completed"], figures["Certified"]) == ("4", "2", "2")

    with page.expect_download() as download:
        page.locator("a[href^='/reports/export.xlsx']").click()
    assert download.value.suggested_filename == "passerelle-report.xlsx"
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary["Enrolled"], summary["Completed"], summary["Certified"]) == (4, 2, 2)

    with page.expect_download() as download:
        page.locator("a[href^='/reports/export.csv']").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][3:] == ["4", "3", "3", "2", "2"]
