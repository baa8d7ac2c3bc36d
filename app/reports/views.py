"""The programme officers' reports: a dashboard with filters in the query string, and CSV
exports of it and of the learner-level progress table."""

from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
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
from app.forms import form_errors
from app.i18n import country_name, language_name, select_locale
from app.learning.models import Cohort, Programme
from app.learning.services import format_join_code
from app.reports import charts, cohorts, exports, services
from app.reports.forms import CohortForm, EmailForm, ProgrammeForm, ReportFilterForm

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
    breakdowns = services.breakdowns(list(services.DIMENSIONS), filters, scope, _labels)
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


def _download(chunks, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report():
    _form, filters, scope = _report_request()
    threshold = current_app.config["REPORT_MIN_CELL"]
    return exports.build_report(filters, scope, _labels, threshold)


@bp.route("/export.csv")
def export_csv():
    report = _report()
    return _download(exports.csv_chunks(exports.report_rows(report)), "text/csv",
                     "passerelle-report.csv")  # fmt: skip


@bp.route("/export.xlsx")
def export_xlsx():
    report = _report()
    titles = {key: make() for key, make in DIMENSION_TITLES.items()}
    return _download(exports.report_xlsx(report, titles), XLSX, "passerelle-report.xlsx")


@bp.route("/learners")
def learners():
    form, filters, scope = _report_request()
    page = max(request.args.get("page", 1, type=int), 1)
    rows = exports.learner_page(filters, scope, page)
    return render_template(
        "reports/learners.html", form=form, rows=rows, page=page, query=_query_without_page()
    )


def _query_without_page() -> str:
    return urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "page"])


@bp.route("/learners.csv")
def learners_csv():
    _form, filters, scope = _report_request()
    rows = exports.learner_rows(filters, scope)
    return _download(exports.csv_chunks(rows), "text/csv", "passerelle-learners.csv")


@bp.route("/learners.xlsx")
def learners_xlsx():
    _form, filters, scope = _report_request()
    chunks = exports.learners_xlsx(exports.learner_rows(filters, scope))
    return _download(chunks, XLSX, "passerelle-learners.xlsx")


# Cohorts and programmes -------------------------------------------------------------------


def _cohort(cohort_id: int) -> Cohort:
    """A cohort the user reports on: 404 if unknown, 403 if someone else's."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    if not services.can_see_cohort(current_user, cohort.id):
        abort(403)
    return cohort


def _cohort_form(**kwargs) -> CohortForm:
    titles = course_titles(cohorts.published_courses(), select_locale())
    return CohortForm(
        courses=[(course_id, text.value) for course_id, text in titles.items()],
        programmes=[(str(p.id), p.name) for p in cohorts.visible_programmes(current_user)],
        **kwargs,
    )


@bp.route("/cohorts")
def cohorts_page():
    return render_template(
        "reports/cohorts.html",
        rows=cohorts.visible_cohorts(current_user),
        programmes=cohorts.visible_programmes(current_user),
        programme_form=ProgrammeForm(),
        format_join_code=format_join_code,
    )


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    form = _cohort_form()
    if form.validate_on_submit():
        cohort = cohorts.new_cohort(current_user, form.data)
        db.session.commit()
        flash(_("The cohort is created. Its join code is %(code)s.",
                code=format_join_code(cohort.join_code)), "success")  # fmt: skip
        return redirect(url_for("reports.cohort", cohort_id=cohort.id))
    return render_template("reports/new_cohort.html", form=form)


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    cohort = _cohort(cohort_id)
    titles = course_titles(cohort.courses, select_locale())
    return render_template(
        "reports/cohort.html",
        cohort=cohort,
        titles=titles,
        join_code=format_join_code(cohort.join_code),
        officer_form=EmailForm(),
        report_url=url_for("reports.dashboard", cohort=cohort.id),
    )


@bp.route("/cohorts/<int:cohort_id>/officers", methods=["POST"])
@role_required(Role.ADMIN)
def add_cohort_officer(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = EmailForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
    else:
        try:
            officer = cohorts.add_officer(cohort, form.data["email"])
        except cohorts.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s now reports on this cohort.", name=officer.name), "success")
    return redirect(url_for("reports.cohort", cohort_id=cohort_id))


@bp.route("/programmes", methods=["POST"])
@role_required(Role.ADMIN)
def add_programme():
    form = ProgrammeForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
    else:
        try:
            cohorts.create_programme(form.data["name"])
        except cohorts.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Programme added."), "success")
    return redirect(url_for("reports.cohorts_page"))


@bp.route("/programmes/<int:programme_id>/officers", methods=["POST"])
@role_required(Role.ADMIN)
def add_programme_officer(programme_id: int):
    programme = db.session.get(Programme, programme_id) or abort(404)
    form = EmailForm(prefix=f"programme{programme_id}")
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
    else:
        try:
            officer = cohorts.add_officer(programme, form.data["email"])
        except cohorts.CohortError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s now reports on this programme.", name=officer.name), "success")
    return redirect(url_for("reports.cohorts_page"))
