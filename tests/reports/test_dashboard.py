"""The officers' dashboard and its CSV: scoping, filters, privacy, bad input."""

import pytest

from app.extensions import db
from app.learning.models import Cohort
from tests.conftest import sign_in
from tests.reports.conftest import read_csv, text


def test_the_dashboard_shows_every_part_with_small_counts_hidden(app, admin_client):
    page = text(admin_client.get("/reports"))
    for heading in ("Key figures", "Funnel", "By course", "By cohort", "By country",
                    "By gender", "By language", "Each month"):  # fmt: skip
        assert heading in page
    assert page.count("<svg") == 7
    assert "<dd>7</dd>" in page  # enrolled
    assert "fewer than 5" in page  # every breakdown cell here is small


def test_with_no_threshold_the_page_and_csv_agree_with_the_hand_count(app, admin_client):
    app.config["REPORT_MIN_CELL"] = 1
    page = text(admin_client.get("/reports?country=SN"))
    assert "<dd>4</dd>" in page and "<dd>2</dd>" in page
    rows = read_csv(admin_client.get("/reports/export.csv?country=SN"))
    assert rows[0][:4] == ["section", "key", "label", "enrolled"]
    assert rows[1] == ["summary", "all", "", "4", "3", "3", "2", "2"]
    genders = {row[1]: row[3] for row in rows if row[0] == "gender"}
    assert genders == {"female": "2", "male": "1", "": "1"}


def test_an_officer_sees_only_their_cohort(app, officer_client, population):
    app.config["REPORT_MIN_CELL"] = 1
    page = text(officer_client.get("/reports"))
    assert "<dd>4</dd>" in page  # the four Dakar learners
    assert "Nairobi 2026" not in page
    response = officer_client.get(f"/reports?cohort={population['nairobi']}")
    assert "Some filters could not be used" in text(response)
    assert "<dd>4</dd>" in text(response)  # the filter is dropped, the scope stays
    rows = read_csv(officer_client.get(f"/reports/export.csv?cohort={population['nairobi']}"))
    assert rows[1][3] == "4"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-45", "Not a valid date value."),
        ("start=2026-03-01&end=2026-01-01", "The end date is before the start date."),
        ("course=999999", "Choose one of the options in the list."),
        ("cohort=abc", "Choose one of the options in the list."),
        ("gender=robot", "Choose one of the options in the list."),
    ],
)
def test_bad_filters_get_a_message_not_an_error(app, admin_client, query, message):
    response = admin_client.get(f"/reports?{query}")
    assert response.status_code == 200
    assert message in text(response)
    assert admin_client.get(f"/reports/export.csv?{query}").status_code == 200


def test_an_empty_selection_gives_an_empty_report(app, admin_client):
    app.config["REPORT_MIN_CELL"] = 1
    page = text(admin_client.get("/reports?country=BD&language=fr"))
    assert "<dd>0</dd>" in page
    assert "No learner matches these filters." in page
    rows = read_csv(admin_client.get("/reports/export.csv?country=BD&language=fr"))
    assert rows[1] == ["summary", "all", "", "0", "0", "0", "0", "0"]
    assert len(rows) == 2


def test_learners_and_instructors_may_not_see_reports(app, client, create_user):
    for role in ("learner", "instructor"):
        other = app.test_client()
        sign_in(other, create_user(role=role))
        assert other.get("/reports").status_code == 403
        assert other.get("/reports/export.csv").status_code == 403


def test_the_dashboard_issues_a_fixed_number_of_queries(app, admin_client, count_queries):
    with count_queries() as queries:
        admin_client.get("/reports")
    assert len(queries) <= 26


def test_a_cohort_name_with_markup_shows_as_text_everywhere(app, admin_client, population):
    app.config["REPORT_MIN_CELL"] = 1
    with app.app_context():
        db.session.get(Cohort, population["dakar"]).name = '<script>alert("x")</script>'
        db.session.commit()
    page = text(admin_client.get("/reports"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # option and table
    assert page.count("&lt;script&gt;") >= 3  # the filter, the table and the chart
