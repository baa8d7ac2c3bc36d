"""XLSX and learner exports agree with the page; cohorts, programmes and joining them."""

import csv
import io

import brotli
from openpyxl import load_workbook
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.learning.models import Cohort, Enrolment, Programme
from tests.conftest import post_form, sign_in
from tests.reports.conftest import read_csv, text


def workbook(response):
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.data), read_only=True)


def test_the_xlsx_holds_the_figures_of_the_page_and_the_csv(app, admin_client):
    app.config["REPORT_MIN_CELL"] = 1
    book = workbook(admin_client.get("/reports/export.xlsx?country=SN"))
    assert book.sheetnames == ["Summary", "By course", "By cohort", "By country", "By gender",
                               "By language", "Each month"]  # fmt: skip
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Enrolled"] == 4 and summary["Completed"] == 2 and summary["Certified"] == 2
    rows = read_csv(admin_client.get("/reports/export.csv?country=SN"))
    assert [int(value) for value in rows[1][3:]] == [
        summary["Enrolled"], summary["Started"], summary["Half-way"], summary["Completed"],
        summary["Certified"],
    ]  # fmt: skip
    genders = {row[0]: row[1] for row in book["By gender"].iter_rows(min_row=2, values_only=True)}
    assert genders == {"Woman": 2, "Man": 1, "Not given": 1}


def test_small_cells_are_hidden_in_the_xlsx_too(app, admin_client):
    book = workbook(admin_client.get("/reports/export.xlsx"))
    countries = list(book["By country"].iter_rows(min_row=2, values_only=True))
    assert ("Senegal", "fewer than 5", "fewer than 5", "fewer than 5") in countries


def test_headers_are_in_the_readers_language(app, create_user, population):
    client = app.test_client()
    sign_in(client, create_user(role="admin", locale="fr"))
    book = workbook(client.get("/reports/export.xlsx"))
    assert book.sheetnames[:2] == ["Résumé", "Par cours"]
    assert next(book["Résumé"].iter_rows(values_only=True)) == ("Indicateur", "Valeur")


def test_the_learner_table_and_its_exports_stay_in_the_officers_cohorts(app, officer_client):
    page = text(officer_client.get("/reports/learners"))
    assert "Awa" in page and "Wanjiru" not in page
    body = officer_client.get("/reports/learners.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["name", "email", "country"]
    assert sorted(row[0] for row in rows[1:]) == ["Awa", "Fatou", "Ibrahima", "Moussa"]
    awa = next(row for row in rows if row[0] == "Awa")
    assert awa[7:] == ["2026-01-10", "100", "2026-01-20", "yes", "90.0"]
    book = workbook(officer_client.get("/reports/learners.xlsx"))
    sheet_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert sheet_rows[0][0] == "Name"
    assert len(sheet_rows) == 5


def test_an_officer_creates_a_cohort_and_reports_on_it(app, create_user, population):
    officer = create_user(role="officer")
    client = app.test_client()
    sign_in(client, officer)
    with app.app_context():
        course_id = db.session.scalar(select(Cohort)).courses[0].id
    form = {"name": "Kisumu teachers", "country": "KE", "organisation": "",
            "starts_on": "2026-04-01", "ends_on": "2026-06-30", "courses": str(course_id),
            "programme": ""}  # fmt: skip
    bad = [({"name": ""}, "This field is required."),
           ({"courses": ""}, "Choose at least one course."),
           ({"courses": "999"}, "Choose one of the options in the list."),
           ({"ends_on": "2026-01-01"}, "The end date is before the start date."),
           ({"starts_on": "someday"}, "Not a valid date value.")]  # fmt: skip
    for change, message in bad:
        response = post_form(client, "/reports/cohorts/new", {**form, **change},
                             token_from="/reports/cohorts/new")  # fmt: skip
        assert message in text(response)
    response = post_form(client, "/reports/cohorts/new", form, token_from="/reports/cohorts/new")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Kisumu teachers" in page and "Report on this cohort" in page
    assert "Kisumu teachers" in text(client.get("/reports/cohorts"))
    assert "Dakar 2026" not in text(client.get("/reports/cohorts"))
    assert client.get(f"/reports/cohorts/{population['dakar']}").status_code == 403
    assert client.get("/reports/cohorts/999999").status_code == 404


def test_admins_assign_officers_to_cohorts_and_programmes(
    app, admin_client, create_user, population
):
    officer = create_user(role="officer", email="officer-x@example.org")
    learner = create_user(email="learner-x@example.org")
    other = app.test_client()
    sign_in(other, officer)
    assert other.get(f"/reports/cohorts/{population['nairobi']}").status_code == 403
    url = f"/reports/cohorts/{population['nairobi']}/officers"
    refusals = [(learner.email, "Only programme officer accounts"),
                ("nobody@example.org", "No account uses this email address.")]  # fmt: skip
    for email, message in refusals:
        response = post_form(admin_client, url, {"email": email}, token_from="/reports/cohorts",
                             follow_redirects=True)  # fmt: skip
        assert message in text(response)
    post_form(admin_client, url, {"email": officer.email}, token_from="/reports/cohorts")
    assert other.get(f"/reports/cohorts/{population['nairobi']}").status_code == 200
    # A programme brings every one of its cohorts into the officer's reports.
    post_form(admin_client, "/reports/programmes", {"name": "Digital Senegal"},
              token_from="/reports/cohorts")  # fmt: skip
    with app.app_context():
        programme = db.session.scalar(select(Programme))
        db.session.get(Cohort, population["dakar"]).programme_id = programme.id
        db.session.commit()
        programme_id = programme.id
    post_form(admin_client, f"/reports/programmes/{programme_id}/officers",
              {f"programme{programme_id}-email": officer.email},
              token_from="/reports/cohorts")  # fmt: skip
    app.config["REPORT_MIN_CELL"] = 1
    assert "<dd>6</dd>" in text(other.get("/reports"))  # Dakar 4 + Nairobi 2
    # Only admins assign.
    response = post_form(other, url, {"email": officer.email}, token_from="/reports/cohorts")
    assert response.status_code == 403


def test_a_learner_joins_a_cohort_on_their_account_page(app, client, create_user, population):
    learner = create_user()
    sign_in(client, learner)
    with app.app_context():
        code = db.session.get(Cohort, population["nairobi"]).join_code
    response = post_form(client, "/account/cohort", {"cohort_code": "NOPE-NOPE"},
                         token_from="/account", follow_redirects=True)  # fmt: skip
    assert "No cohort has this code." in text(response)
    response = post_form(client, "/account/cohort", {"cohort_code": code.lower()},
                         token_from="/account", follow_redirects=True)  # fmt: skip
    assert "You joined Nairobi 2026: 1 course is now part of it." in text(response)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
        assert enrolment.cohort_id == population["nairobi"]
        assert db.session.get(User, learner.id) is not None


def test_the_learner_csv_streams_compressed_to_the_same_rows(officer_client):
    plain = officer_client.get("/reports/learners.csv").get_data()
    response = officer_client.get("/reports/learners.csv", headers={"Accept-Encoding": "br"})
    assert response.is_streamed and "Content-Length" not in response.headers
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == plain
    # A spreadsheet is a zip already: it is sent as it is.
    xlsx = officer_client.get("/reports/learners.xlsx", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in xlsx.headers
