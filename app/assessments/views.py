"""A module's quiz or the final assessment: its page, starting an attempt, answering it,
submitting it once and reviewing it."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.accounts.permissions import role_required
from app.assessments import banks, services, teaching
from app.assessments.definitions import Bank, QuizDefinition, course_bank
from app.assessments.files import MAX_BANK_BYTES
from app.assessments.forms import (
    BankUploadForm,
    ConfirmBankForm,
    MarkEssayForm,
)
from app.assessments.gift import export_gift
from app.assessments.models import Attempt
from app.courses import services as courses
from app.courses.authoring import quiz_name, touch
from app.courses.authoring_views import draft_to_edit
from app.courses.importer import find_course
from app.database import utcnow
from app.extensions import db
from app.i18n import LOCALES, select_locale
from app.learning.views import enrolled_course
from app.markdown import render_question_text
from app.storage import read_upload, save_upload

bp = Blueprint("assessments", __name__, template_folder="templates")
bp.add_app_template_filter(render_question_text, "question_html")


def _quiz(slug: str, key: str):
    reading = enrolled_course(slug)
    bank = course_bank(reading.course)
    quiz = bank.quiz(key) or abort(404)
    return reading, bank, quiz


@bp.route("/courses/<slug>/quizzes/<key>")
@login_required
def quiz(slug: str, key: str):
    reading, bank, quiz = _quiz(slug, key)
    attempts = services.attempts_of(reading.enrolment.id, quiz.id)
    outline = courses.course_view(reading.course, select_locale())
    return render_template(
        "assessments/quiz.html",
        outline=outline,
        quiz=quiz,
        attempts=attempts,
        open_attempt=services.open_attempt(attempts),
        attempts_left=services.attempts_left(quiz, len(attempts)),
        question_count=bank.question_count(quiz),
    )


@bp.route("/courses/<slug>/quizzes/<key>/start", methods=["POST"])
@login_required
def start(slug: str, key: str):
    reading, bank, quiz = _quiz(slug, key)
    try:
        attempt_id = services.start_attempt(reading.enrolment, quiz, bank)
    except services.NoAttemptsLeft:
        db.session.rollback()
        flash(_("You have used all your attempts at this quiz."), "error")
        return redirect(url_for("assessments.quiz", slug=slug, key=key))
    db.session.commit()
    return redirect(url_for("assessments.attempt", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id: int):
    attempt, enrolment, course = services.find_attempt(attempt_id) or abort(404)
    if enrolment.user_id != current_user.id:
        abort(404)
    bank = course_bank(course)
    quiz = bank.quiz_by_id(attempt.quiz_id)
    locale = select_locale()
    if request.method == "POST":
        return _answer(attempt, quiz, bank, locale)
    shown = services.shown_questions(attempt, bank, locale, course.source_locale)
    template = "assessments/review.html" if attempt.submitted_at else "assessments/attempt.html"
    minutes_left = None
    if attempt.deadline_at and not attempt.submitted_at:
        minutes_left = max(0, int((attempt.deadline_at - utcnow()).total_seconds() // 60))
    return render_template(
        template,
        attempt=attempt,
        quiz=quiz,
        course=course,
        questions=shown,
        minutes_left=minutes_left,
    )


def _answer(attempt: Attempt, quiz: QuizDefinition, bank: Bank, locale: str):
    if attempt.submitted_at is not None:
        flash(_("This attempt was already submitted; it counts once."), "info")
        return redirect(url_for("assessments.attempt", attempt_id=attempt.id))
    try:
        responses = services.read_responses(attempt, bank, request.form)
    except services.InvalidAnswer:
        flash(_("Some answers did not belong to this quiz. Nothing was saved."), "error")
        return redirect(url_for("assessments.attempt", attempt_id=attempt.id))
    if request.form.get("action") == "save":
        if services.is_late(attempt, utcnow()):
            flash(_("The time for this attempt is over: submit it to see your result."), "error")
        else:
            services.save_responses(attempt, responses)
            db.session.commit()
            flash(_("Your answers are saved."), "success")
        return redirect(url_for("assessments.attempt", attempt_id=attempt.id))
    attempt_id = attempt.id  # read before the commit expires it
    if services.submit_attempt(attempt, quiz, bank, responses, locale):
        db.session.commit()
    else:
        flash(_("This attempt was already submitted; it counts once."), "info")
    return redirect(url_for("assessments.attempt", attempt_id=attempt_id))


def _taught_course(slug: str):
    """A published course the current user teaches (404 if unknown, 403 if not theirs)."""
    course = find_course(slug) or abort(404)
    if not course.can_edit(current_user):
        abort(403)
    return course


@bp.route("/teach/courses/<slug>/questions/import", methods=["GET", "POST"])
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def import_questions(slug: str):
    course = draft_to_edit(slug)
    form = BankUploadForm()
    if request.method == "GET":
        form.locale.data = course.source_locale
    preview = upload = None
    if form.validate_on_submit():
        with form.bank.data.stream as stream:
            data = stream.read(MAX_BANK_BYTES + 1)
        preview = banks.preview_bank(course, form.data["locale"], data)
        if not preview.problems:
            upload = save_upload(data)
    confirm = ConfirmBankForm(upload=upload, locale=form.data["locale"]) if upload else None
    return render_template(
        "assessments/import.html", course=course, form=form, preview=preview, confirm=confirm
    )


@bp.route("/teach/courses/<slug>/questions/import/confirm", methods=["POST"])
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def confirm_questions(slug: str):
    course = draft_to_edit(slug)
    form = ConfirmBankForm()
    data = read_upload(form.upload.data or "") if form.validate_on_submit() else None
    locale = form.data["locale"]
    if data is None or locale not in LOCALES:
        flash(_("That upload is no longer available. Upload the file again."), "error")
        return redirect(url_for("assessments.import_questions", slug=slug))
    preview = banks.preview_bank(course, locale, data)
    if preview.problems:
        flash(_("That upload is no longer available. Upload the file again."), "error")
        return redirect(url_for("assessments.import_questions", slug=slug))
    count = banks.import_bank(course, locale, preview.questions)
    touch(course)
    db.session.commit()
    flash(ngettext("%(num)d question imported.", "%(num)d questions imported.", count), "success")
    return redirect(url_for("assessments.import_questions", slug=slug))


@bp.route("/teach/courses/<slug>/questions/<locale>.gift")
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def export_questions(slug: str, locale: str):
    course = draft_to_edit(slug)
    if locale not in LOCALES:
        abort(404)
    text = export_gift(banks.bank_as_gift(course, locale))
    response = current_app.response_class(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = f"attachment; filename={course.slug}-{locale}.gift"
    return response


@bp.route("/teach/courses/<slug>/quizzes/<key>/statistics")
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def statistics(slug: str, key: str):
    course = _taught_course(slug)
    quiz = services.find_quiz(course.id, key) or abort(404)
    stats = teaching.quiz_stats(quiz, select_locale(), course.source_locale)
    name = quiz_name(course, quiz)
    return render_template(
        "assessments/statistics.html", course=course, quiz=quiz, stats=stats, name=name
    )


@bp.route("/teach/courses/<slug>/essays")
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def essays(slug: str):
    course = _taught_course(slug)
    queue = teaching.essays_to_mark(course.id, select_locale(), course.source_locale)
    forms = {item.answer.id: MarkEssayForm(prefix=f"essay{item.answer.id}") for item in queue}
    return render_template("assessments/essays.html", course=course, queue=queue, forms=forms)


@bp.route("/teach/courses/<slug>/essays/<int:answer_id>", methods=["POST"])
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def mark_essay(slug: str, answer_id: int):
    course = _taught_course(slug)
    answer = teaching.find_essay_answer(course.id, answer_id) or abort(404)
    form = MarkEssayForm(prefix=f"essay{answer_id}")
    if not form.validate():
        flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
    else:
        data = form.data
        teaching.mark_essay(
            answer, data["mark"], data["comment"] or "", current_user, course.source_locale
        )
        db.session.commit()
        flash(_("The mark is saved."), "success")
    return redirect(url_for("assessments.essays", slug=slug))
