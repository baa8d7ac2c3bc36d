"""Enrolling, reading lessons, marking them complete, and the learner's dashboard."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.courses import services as courses
from app.extensions import db
from app.i18n import select_locale
from app.learning import services
from app.learning.forms import EnrolForm

bp = Blueprint("learning", __name__, template_folder="templates")

ENROLMENT_ERRORS = {
    services.AlreadyEnrolled: lambda: _("You are already enrolled in this course."),
    services.UnknownCohortCode: lambda: _("No cohort has this code. Check it and try again."),
    services.CohortNotForCourse: lambda: _("This cohort code is for another course."),
}


def enrolled_course(slug: str, lesson_key: str | None = None) -> services.Reading:
    """The published course and the learner's enrolment in it; 404, or back to the course."""
    reading = services.find_reading(current_user.id, slug, lesson_key) or abort(404)
    if reading.enrolment is None:
        flash(_("Enrol in this course to read its lessons."), "info")
        abort(redirect(url_for("courses.course", slug=slug)))
    return reading


@bp.route("/courses/<slug>/enrol", methods=["POST"])
@login_required
def enrol(slug: str):
    course = courses.find_published_course(slug) or abort(404)
    form = EnrolForm()
    if not form.validate():
        flash(" ".join(map(str, form.cohort_code.errors)), "error")
        return redirect(url_for("courses.course", slug=slug))
    try:
        services.enrol(current_user.id, course, form.data["cohort_code"] or "")
    except services.EnrolmentError as error:
        db.session.rollback()
        flash(ENROLMENT_ERRORS[type(error)](), "error")
        return redirect(url_for("courses.course", slug=slug))
    db.session.commit()
    flash(_("You are enrolled. Welcome to the course!"), "success")
    first = services.ordered_lessons([course.id])[course.id]
    if not first:
        return redirect(url_for("courses.course", slug=slug))
    return redirect(url_for("learning.lesson", slug=slug, key=first[0].key))


@bp.route("/account/cohort", methods=["POST"])
@login_required
def join_cohort():
    form = EnrolForm()
    code = form.data["cohort_code"] if form.validate() else ""
    if not code:
        flash(_("Type the code your organisation gave you."), "error")
        return redirect(url_for("accounts.profile"))
    try:
        cohort, changed = services.join_cohort(current_user.id, code)
    except services.UnknownCohortCode:
        db.session.rollback()
        flash(_("No cohort has this code. Check it and try again."), "error")
        return redirect(url_for("accounts.profile"))
    db.session.commit()
    flash(
        ngettext(
            "You joined %(cohort)s: %(num)d course is now part of it.",
            "You joined %(cohort)s: %(num)d courses are now part of it.",
            changed,
            cohort=cohort.name,
        ),
        "success",
    )
    return redirect(url_for("learning.dashboard"))


@bp.route("/courses/<slug>/lessons/<key>")
@login_required
def lesson(slug: str, key: str):
    reading = enrolled_course(slug, lesson_key=key)
    view = courses.lesson_view(reading.course, key, select_locale()) or abort(404)
    return render_template(
        "learning/lesson.html",
        view=view,
        enrolment=reading.enrolment,
        is_done=reading.lesson_done,
        quiz=services.quiz_after(view),
    )


@bp.route("/courses/<slug>/lessons/<key>/complete", methods=["POST"])
@login_required
def complete_lesson(slug: str, key: str):
    reading = enrolled_course(slug)
    lessons = courses.course_view(reading.course, select_locale()).lessons
    index = next((i for i, lesson in enumerate(lessons) if lesson.key == key), None)
    if index is None:
        abort(404)
    just_completed = services.mark_lesson_complete(reading.enrolment, lessons[index].id)
    db.session.commit()
    if just_completed:
        flash(_("Congratulations! You have completed this course."), "success")
        return redirect(url_for("courses.course", slug=slug))
    flash(_("Lesson marked as complete."), "success")
    if index + 1 == len(lessons):
        return redirect(url_for("courses.course", slug=slug))
    return redirect(url_for("learning.lesson", slug=slug, key=lessons[index + 1].key))


@bp.route("/dashboard")
@login_required
def dashboard():
    entries = services.dashboard(current_user.id, select_locale())
    return render_template("learning/dashboard.html", entries=entries)
