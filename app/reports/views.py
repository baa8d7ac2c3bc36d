"""The programme officers' reports: a dashboard with filters in the query string, and CSV
exports of it and of the learner-level progress table."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.forms import GENDER_LABELS
from app.accounts.models import Role
from app.accounts.permissions import role_required
from app.courses.models import Course
from app.courses.services import course_titles
from app.extensions import db
from app.i18n import country_name, language_name, select_locale
from app.learning.models import Cohort
from app.reports import charts, services
from app.reports.forms import ReportFilterForm

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")


@bp.before_request
@role_required(Role.OFFICER, Role.ADMIN)
def officers_only():
    """Reports are for programme officers and admins."""


def _visible_cohorts(scope) -> list[Cohort]:
    query = select(Cohort).order_by(Cohort.name)
    if scope is not None:
        query = query.where(Cohort.id.in_(scope or {-1}))
    return list(db.session.scalars(query))


def _courses() -> list[Course]:
    query = select(Course).where(Course.is_draft.is_(False)).order_by(Course.slug)
    return list(db.session.scalars(query))


def _labels(dimension: str, keys: list) -> dict:
    """Names for the keys of a breakdown, in the reader's language."""
    if dimension == "course":
        courses = db.session.scalars(select(Course).where(Course.id.in_(keys))).all()
        return {key: text.value for key, text in course_titles(courses, select_locale()).items()}
    if dimension == "cohort":
        rows = db.session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(keys)))
        names = dict(rows.all())
        return {key: names.get(key) or _("No cohort") for key in keys}
    if dimension == "country":
        return {key: country_name(key) for key in keys}
    if dimension == "gender":
        return {key: str(GENDER_LABELS.get(key, _("Not given"))) for key in keys}
    return {key: language_name(key) for key in keys}


def _report_request():
    """The filters of the query string, checked against what this officer may see."""
    scope = services.visible_cohort_ids(current_user)
    cohorts = _visible_cohorts(scope)
    courses = _courses()
    titles = course_titles(courses, select_locale())
    form = ReportFilterForm(
        request.args,
        courses=[(str(course.id), titles[course.id].value) for course in courses],
        cohorts=[(str(cohort.id), cohort.name) for cohort in cohorts],
    )
    if request.args and not form.validate():
        messages = [str(error) for errors in form.errors.values() for error in errors]
        flash(
            _("Some filters could not be used: %(problems)s", problems=" ".join(messages)), "error"
        )
        for name in form.errors:
            getattr(form, name).data = None
    data = form.data
    filters = services.Filters(
        course_id=int(data["course"]) if data["course"] else None,
        cohort_id=int(data["cohort"]) if data["cohort"] else None,
        country=data["country"] or None,
        gender=data["gender"] or None,
        language=data["language"] or None,
        start=data["start"],
        end=data["end"],
    )
    return form, filters, scope


DIMENSION_TITLES = {
    "course": lambda: _("By course"),
    "cohort": lambda: _("By cohort"),
    "country": lambda: _("By country"),
    "gender": lambda: _("By gender"),
    "language": lambda: _("By language"),
}


@bp.route("")
def dashboard():
    form, filters, scope = _report_request()
    threshold = current_app.config["REPORT_MIN_CELL"]
    figures = services.key_figures(filters, scope)
    breakdowns = {
        dimension: services.breakdown(dimension, filters, scope, _labels)
        for dimension in services.DIMENSIONS
    }
    months = services.monthly(filters, scope)

    def shown(value):
        return None if services.is_small(value, threshold) else value

    funnel_labels = [_("Enrolled"), _("Started"), _("Half-way"), _("Completed"), _("Certified")]
    funnel_values = [
        figures.enrolled, figures.started, figures.halfway, figures.completed, figures.certified,
    ]  # fmt: skip
    funnel = charts.bar_chart(
        _("Funnel"),
        funnel_labels,
        [charts.Series(_("Learners"), [shown(v) for v in funnel_values])],
    )
    breakdown_charts = {
        dimension: charts.bar_chart(
            DIMENSION_TITLES[dimension](),
            [row.label for row in rows],
            [
                charts.Series(_("Enrolled"), [shown(row.enrolled) for row in rows]),
                charts.Series(_("Completed"), [shown(row.completed) for row in rows]),
            ],
        )
        for dimension, rows in breakdowns.items()
    }
    monthly_chart = charts.bar_chart(
        _("Each month"),
        [month.month for month in months],
        [
            charts.Series(_("Enrolled"), [shown(m.enrolled) for m in months]),
            charts.Series(_("Completed"), [shown(m.completed) for m in months]),
        ],
    )
    return render_template(
        "reports/dashboard.html",
        form=form,
        figures=figures,
        funnel=zip(funnel_labels, funnel_values, strict=True),
        funnel_chart=funnel,
        breakdowns=breakdowns,
        breakdown_charts=breakdown_charts,
        titles={key: make() for key, make in DIMENSION_TITLES.items()},
        months=months,
        monthly_chart=monthly_chart,
        threshold=threshold,
        query=request.query_string.decode(),
    )


def _csv_response(rows, filename: str) -> Response:
    """Stream rows as UTF-8 CSV with a byte-order mark, so spreadsheet programs read it."""

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _cell(value: int, threshold: int):
    return str(services.suppress(value, threshold))


@bp.route("/export.csv")
def export_csv():
    _form, filters, scope = _report_request()
    threshold = current_app.config["REPORT_MIN_CELL"]
    figures = services.key_figures(filters, scope)
    breakdowns = {
        dimension: services.breakdown(dimension, filters, scope, _labels)
        for dimension in services.DIMENSIONS
    }
    months = services.monthly(filters, scope)

    def rows():
        yield ["section", "key", "label", "enrolled", "started", "halfway", "completed",
               "certified"]  # fmt: skip
        yield ["summary", "all", "", *(
            _cell(value, threshold)
            for value in (figures.enrolled, figures.started, figures.halfway, figures.completed,
                          figures.certified)
        )]  # fmt: skip
        for dimension, entries in breakdowns.items():
            for row in entries:
                yield [dimension, "" if row.key is None else row.key, row.label,
                       _cell(row.enrolled, threshold), "", "", _cell(row.completed, threshold),
                       _cell(row.certified, threshold)]  # fmt: skip
        for month in months:
            yield ["month", month.month, "", _cell(month.enrolled, threshold), "", "",
                   _cell(month.completed, threshold), ""]  # fmt: skip

    return _csv_response(rows(), "passerelle-report.csv")
