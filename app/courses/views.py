"""The catalogue, course pages and course media."""

from flask import Blueprint, abort, flash, g, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.assessments.definitions import course_bank
from app.assessments.services import quiz_results
from app.assets import ONE_YEAR
from app.courses import services
from app.courses.forms import CatalogueFilterForm
from app.i18n import select_locale
from app.learning.forms import EnrolForm
from app.learning.services import completed_lesson_ids, find_enrolment
from app.storage import media_root

bp = Blueprint("courses", __name__, template_folder="templates")
bp.add_app_template_global(services.level_label)

# Learner pages shown as an instructor's preview of a draft link to the preview's pages.
PREVIEW_ENDPOINTS = {
    "courses.course": "authoring.preview_course",
    "learning.lesson": "authoring.preview_lesson",
    "assessments.quiz": "authoring.preview_quiz",
}


@bp.app_template_global()
def learner_url(endpoint: str, **values) -> str:
    preview = g.get("preview")
    if preview:
        return url_for(PREVIEW_ENDPOINTS[endpoint], lang=preview["locale"], **values)
    return url_for(endpoint, **values)


@bp.route("/courses")
def catalogue():
    form = CatalogueFilterForm(request.args)
    if request.args and not form.validate():
        flash(_("That filter is not available: showing all courses."), "error")
        form = CatalogueFilterForm(formdata=None)
    data = form.data
    courses = services.catalogue(
        select_locale(), language=data["language"] or None, level=data["level"] or None
    )
    return render_template("courses/catalogue.html", form=form, courses=courses)


@bp.route("/courses/<slug>")
def course(slug: str):
    course = services.find_published_course(slug) or abort(404)
    view = services.course_view(course, select_locale())
    enrolment, done, results = None, set(), {}
    if current_user.is_authenticated:
        enrolment = find_enrolment(current_user.id, course.id)
        if enrolment:
            done = completed_lesson_ids(enrolment.id)
            results = quiz_results(enrolment.id)
    quizzes = {quiz.module_id: quiz for quiz in course_bank(course).quizzes}
    return render_template(
        "courses/course.html",
        view=view,
        enrolment=enrolment,
        done=done,
        quizzes=quizzes,
        results=results,
        enrol_form=EnrolForm(),
    )


@bp.route("/media/<name>")
def media(name: str):
    response = send_from_directory(media_root(), name, max_age=ONE_YEAR)
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
