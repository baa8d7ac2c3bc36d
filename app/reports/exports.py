"""Report exports: CSV (UTF-8 with a byte-order mark, stable English column keys) and XLSX
(localised headers, a sheet per breakdown). Both stream: rows are read from the database in
batches and written out as they come, so memory stays flat however many there are."""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from app.accounts.models import User
from app.assessments.files import FINAL
from app.assessments.models import Quiz, QuizResult
from app.certificates.models import Certificate
from app.courses.models import Course
from app.extensions import db
from app.learning.models import Cohort, Enrolment
from app.reports import services

BATCH = 1000
CHUNK = 64 * 1024

SUMMARY_COLUMNS = ["section", "key", "label", "enrolled", "started", "halfway", "completed",
                   "certified"]  # fmt: skip
LEARNER_COLUMNS = ["name", "email", "country", "gender", "language", "course", "cohort",
                   "enrolled_at", "progress_percent", "completed_at", "certified",
                   "final_score"]  # fmt: skip


@dataclass
class Report:
    figures: services.Figures
    breakdowns: dict[str, list[services.BreakdownRow]]
    months: list[services.Month]
    threshold: int

    def cell(self, value: int):
        """The count, or "<5" when it is too small to show."""
        shown = services.suppress(value, self.threshold)
        return value if shown == value else str(shown)


def build_report(filters, scope, labels, threshold: int) -> Report:
    return Report(
        services.key_figures(filters, scope),
        services.breakdowns(list(services.DIMENSIONS), filters, scope, labels),
        services.monthly(filters, scope),
        threshold,
    )


def report_rows(report: Report) -> Iterator[list]:
    """The dashboard as rows under SUMMARY_COLUMNS: what the CSV holds."""
    figures, cell = report.figures, report.cell
    yield SUMMARY_COLUMNS
    yield ["summary", "all", "", cell(figures.enrolled), cell(figures.started),
           cell(figures.halfway), cell(figures.completed), cell(figures.certified)]  # fmt: skip
    for dimension, rows in report.breakdowns.items():
        for row in rows:
            yield [dimension, "" if row.key is None else row.key, row.label, cell(row.enrolled),
                   "", "", cell(row.completed), cell(row.certified)]  # fmt: skip
    for month in report.months:
        yield ["month", month.month, "", cell(month.enrolled), "", "", cell(month.completed), ""]


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text in pieces, starting with the byte-order mark spreadsheet programs look for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


def learner_query(filters, scope):
    """Enrolments with their learner, course, cohort, certificate and final score."""
    final = (
        select(QuizResult.enrolment_id, QuizResult.score)
        .join(Quiz, Quiz.id == QuizResult.quiz_id)
        .where(Quiz.key == FINAL)
        .subquery()
    )
    certified = select(Certificate.enrolment_id).where(Certificate.revoked_at.is_(None)).subquery()
    query = (
        select(
            User.name,
            User.email,
            User.country,
            User.gender,
            User.locale,
            Course.slug,
            Cohort.name,
            Enrolment.enrolled_at,
            Enrolment.progress_percent,
            Enrolment.completed_at,
            certified.c.enrolment_id,
            final.c.score,
        )  # fmt: skip
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id)
        .outerjoin(certified, certified.c.enrolment_id == Enrolment.id)
        .outerjoin(final, final.c.enrolment_id == Enrolment.id)
        .where(*services.conditions(filters, scope))
        .order_by(Enrolment.id)
    )
    return query


def learner_rows(filters, scope) -> Iterator[list]:
    """One row per enrolment, read in batches (LEARNER_COLUMNS first)."""
    yield LEARNER_COLUMNS
    query = learner_query(filters, scope).execution_options(yield_per=BATCH)
    for row in db.session.execute(query):
        yield learner_row(row)


def learner_row(row) -> list:
    (name, email, country, gender, locale, course, cohort, enrolled, progress, completed,
     certificate, score) = row  # fmt: skip
    return [
        name, email, country, gender or "", locale, course, cohort or "",
        enrolled.date().isoformat(), progress,
        completed.date().isoformat() if completed else "",
        "yes" if certificate else "no", "" if score is None else round(score, 1),
    ]  # fmt: skip


def learner_page(filters, scope, page: int, per_page: int = 50) -> list[list]:
    query = learner_query(filters, scope).limit(per_page).offset((page - 1) * per_page)
    return [learner_row(row) for row in db.session.execute(query)]


def _spooled_workbook(fill) -> Iterator[bytes]:
    """Write a workbook in write-only mode (rows go to disk as they come), then stream it."""
    workbook = Workbook(write_only=True)
    fill(workbook)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def report_xlsx(report: Report, titles: dict[str, str]) -> Iterator[bytes]:
    """A summary sheet, a sheet per breakdown and one of months, with localised headers."""

    def localised(value):
        shown = services.suppress(value, report.threshold)
        if shown == value:
            return value
        return _("fewer than %(num)d", num=report.threshold)

    def fill(workbook):
        figures = report.figures
        summary = workbook.create_sheet(_("Summary"))
        summary.append([_("Figure"), _("Value")])
        for label, value in [
            (_("Enrolled"), figures.enrolled),
            (_("Active in the last 30 days"), figures.active),
            (_("Started"), figures.started),
            (_("Half-way"), figures.halfway),
            (_("Completed"), figures.completed),
            (_("Certified"), figures.certified),
        ]:
            summary.append([label, localised(value)])
        for dimension, rows in report.breakdowns.items():
            sheet = workbook.create_sheet(_sheet_name(titles[dimension]))
            sheet.append([titles[dimension], _("Enrolled"), _("Completed"), _("Certified")])
            for row in rows:
                sheet.append([row.label, localised(row.enrolled), localised(row.completed),
                              localised(row.certified)])  # fmt: skip
        months = workbook.create_sheet(_sheet_name(_("Each month")))
        months.append([_("Month"), _("Enrolled"), _("Completed")])
        for month in report.months:
            months.append([month.month, localised(month.enrolled), localised(month.completed)])

    return _spooled_workbook(fill)


def learners_xlsx(rows: Iterator[list]) -> Iterator[bytes]:
    headers = [
        _("Name"), _("Email"), _("Country"), _("Gender"), _("Language"), _("Course"),
        _("Cohort"), _("Enrolled on"), _("Progress (%)"), _("Completed on"), _("Certified"),
        _("Final score"),
    ]  # fmt: skip

    def fill(workbook):
        sheet = workbook.create_sheet(_sheet_name(_("Learners")))
        next(rows)  # the English column keys; the sheet has localised headers
        sheet.append(headers)
        for row in rows:
            sheet.append(row)

    return _spooled_workbook(fill)


def _sheet_name(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title)
    return cleaned[:31]
