"""Authoring in the browser: an instructor's courses, their drafts, translations, preview,
publication, export and learners. Every page here is for the course's instructors and
admins; the logic lives in authoring.py."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role
from app.accounts.permissions import role_required
from app.assessments import services as quizzes
from app.assessments.definitions import course_bank
from app.courses import authoring, exporter, services
from app.courses.files import MAX_MEDIA_BYTES
from app.courses.forms import (
    ANSWER_ROWS,
    ConfirmForm,
    CourseSettingsForm,
    CourseZipForm,
    InstructorForm,
    LessonForm,
    MediaForm,
    MoveForm,
    NewCourseForm,
    QuestionForm,
    QuizForm,
    TitleForm,
    TranslationForm,
)
from app.courses.importer import find_course, import_course
from app.courses.models import Course
from app.extensions import db
from app.forms import form_errors
from app.i18n import LOCALES, select_locale
from app.learning.services import quiz_after

bp = Blueprint("authoring", __name__, template_folder="templates", url_prefix="/teach")


@bp.before_request
@role_required(Role.INSTRUCTOR, Role.ADMIN)
def staff_only():
    """Every authoring page is for instructors and admins; each course is checked below."""


@bp.errorhandler(IntegrityError)
def simultaneous_change(_error):
    """Two people created the same thing at the same moment: the second is told, not a 500."""
    db.session.rollback()
    flash(_("Someone else changed this course at the same moment. Check it, then try again."))
    slug = (request.view_args or {}).get("slug")
    return redirect(url_for(".course", slug=slug) if slug else url_for(".index"))


def draft_to_edit(slug: str) -> Course:
    """The draft of a course the current user teaches: 404 if unknown, 403 if not theirs."""
    course = find_course(slug, draft=True) or find_course(slug) or abort(404)
    if not course.can_edit(current_user):
        abort(403)
    if not course.is_draft:
        course = authoring.make_draft(course)
        db.session.commit()
    return course


def _show_revision(form, revision: int | None) -> None:
    """Put the current revision in the form, so saving again overwrites deliberately."""
    form.revision.data = revision
    form.revision.raw_data = [str(revision)] if revision is not None else []


def _conflict(item_name: str) -> None:
    db.session.rollback()
    flash(
        _(
            "Someone else saved %(item)s while you were editing it. Their version is shown "
            "beside yours: copy what you need into the form, then save again.",
            item=item_name,
        ),
        "error",
    )


# Courses ----------------------------------------------------------------------------------


@bp.route("")
def index():
    courses = authoring.courses_taught_by(current_user)
    titles = services.course_titles(courses, select_locale())
    return render_template("courses/teach/index.html", courses=courses, titles=titles)


@bp.route("/new", methods=["GET", "POST"])
def new_course():
    form = NewCourseForm()
    if request.method == "GET":
        form.source_locale.data = select_locale()
    if form.validate_on_submit():
        data = form.data
        try:
            draft = authoring.create_course(current_user, data["slug"], data["source_locale"], data)
        except authoring.AuthoringError as error:
            form.slug.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The course is created as a draft. Add its modules and lessons."), "success")
            return redirect(url_for("authoring.course", slug=draft.slug))
    return render_template("courses/teach/new_course.html", form=form)


@bp.route("/courses/<slug>")
def course(slug: str):
    draft = draft_to_edit(slug)
    outline = authoring.outline(draft)
    live = find_course(slug)
    return render_template(
        "courses/teach/course.html",
        draft=draft,
        outline=outline,
        live=live,
        unpublished=authoring.has_unpublished_changes(draft, live),
        problems=authoring.publish_problems(draft, outline),
        module_form=TitleForm(prefix="module"),
        button=ConfirmForm(),
        move_form=MoveForm(),
        instructor_form=InstructorForm(),
        media_form=MediaForm(),
    )


@bp.route("/courses/<slug>/settings", methods=["GET", "POST"])
def edit_course(slug: str):
    draft = draft_to_edit(slug)
    texts = authoring.source_row(draft, draft.source_locale)
    form = CourseSettingsForm(
        obj=draft, title=texts.title, summary=texts.summary, revision=draft.revision
    )
    theirs = None
    if form.validate_on_submit():
        try:
            authoring.update_course(draft, form.data["revision"] or 0, form.data)
        except authoring.EditConflict:
            _conflict(_("the course settings"))
            draft = draft_to_edit(slug)
            theirs = authoring.source_row(draft, draft.source_locale)
            _show_revision(form, draft.revision)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("authoring.course", slug=slug))
    return render_template("courses/teach/settings.html", draft=draft, form=form, theirs=theirs)


@bp.route("/courses/<slug>/instructors", methods=["POST"])
def add_instructor(slug: str):
    draft = draft_to_edit(slug)
    form = InstructorForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
    else:
        try:
            user = authoring.add_instructor(draft, form.data["email"])
        except authoring.AuthoringError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s now teaches this course.", name=user.name), "success")
    return redirect(url_for("authoring.course", slug=slug))


@bp.route("/courses/<slug>/media", methods=["POST"])
def upload_media(slug: str):
    draft = draft_to_edit(slug)
    form = MediaForm()
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
        return redirect(url_for("authoring.course", slug=slug))
    upload = form.image.data
    with upload.stream as stream:
        data = stream.read(MAX_MEDIA_BYTES + 1)
    try:
        name = authoring.add_media(draft, upload.filename or "", data)
    except authoring.AuthoringError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _("Image added. Use it in a lesson as: %(code)s", code=f"![…](media/{name})"), "success"
        )
    return redirect(url_for("authoring.course", slug=slug))


# Modules ----------------------------------------------------------------------------------


def _module(draft: Course, module_id: int):
    return authoring.find_module(draft, module_id) or abort(404)


@bp.route("/courses/<slug>/modules", methods=["POST"])
def add_module(slug: str):
    draft = draft_to_edit(slug)
    form = TitleForm(prefix="module")
    if not form.validate_on_submit():
        flash(form_errors(form), "error")
    else:
        authoring.add_module(draft, form.data["title"])
        db.session.commit()
        flash(_("Module added."), "success")
    return redirect(url_for("authoring.course", slug=slug))


@bp.route("/courses/<slug>/modules/<int:module_id>", methods=["GET", "POST"])
def edit_module(slug: str, module_id: int):
    draft = draft_to_edit(slug)
    module = _module(draft, module_id)
    texts = authoring.source_row(module, draft.source_locale)
    form = TitleForm(title=texts.title, revision=module.revision)
    theirs = None
    if form.validate_on_submit():
        try:
            authoring.rename_module(draft, module, form.data["revision"] or 0, form.data["title"])
        except authoring.EditConflict:
            _conflict(_("this module"))
            draft = draft_to_edit(slug)
            module = _module(draft, module_id)
            theirs = authoring.source_row(module, draft.source_locale)
            _show_revision(form, module.revision)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("authoring.course", slug=slug))
    return render_template(
        "courses/teach/module.html", draft=draft, module=module, form=form, theirs=theirs
    )


@bp.route("/courses/<slug>/modules/<int:module_id>/move", methods=["POST"])
def move_module(slug: str, module_id: int):
    draft = draft_to_edit(slug)
    module = _module(draft, module_id)
    form = MoveForm()
    if form.validate_on_submit():
        step = -1 if form.data["direction"] == "up" else 1
        authoring.move(draft, module, list(draft.modules), step)
        db.session.commit()
    return redirect(url_for("authoring.course", slug=slug, _anchor=f"module-{module_id}"))


def _confirm_delete(draft: Course, delete, done: str, what: str, impact, back: str, **extra):
    """A deletion page: GET shows what it costs, a confirmed POST deletes and goes back."""
    form = ConfirmForm()
    if form.validate_on_submit():
        delete()
        db.session.commit()
        flash(done, "success")
        return redirect(back)
    return render_template(
        "courses/teach/delete.html", draft=draft, form=form, what=what, impact=impact(), **extra
    )


@bp.route("/courses/<slug>/modules/<int:module_id>/delete", methods=["GET", "POST"])
def delete_module(slug: str, module_id: int):
    draft = draft_to_edit(slug)
    module = _module(draft, module_id)
    return _confirm_delete(
        draft,
        lambda: authoring.delete_module(draft, module),
        _("Module deleted."),
        authoring.source_row(module, draft.source_locale).title,
        lambda: authoring.module_impact(draft, module),
        url_for("authoring.course", slug=slug),
    )


# Lessons ----------------------------------------------------------------------------------


def _lesson_form(draft: Course, **values) -> LessonForm:
    form = LessonForm(**values)
    form.module_id.choices = [
        (module.id, authoring.source_row(module, draft.source_locale).title)
        for module in draft.modules
    ]
    return form


@bp.route("/courses/<slug>/modules/<int:module_id>/lessons/new", methods=["GET", "POST"])
def new_lesson(slug: str, module_id: int):
    draft = draft_to_edit(slug)
    module = _module(draft, module_id)
    form = _lesson_form(draft, module_id=module.id)
    preview = None
    if form.validate_on_submit():
        data = form.data
        if data["preview"]:
            preview = _preview(draft, data)
        else:
            try:
                lesson = authoring.add_lesson(draft, module, data["title"], data["body"])
            except authoring.AuthoringError as error:
                form.body.errors = [str(error)]
            else:
                lesson.is_required = data["is_required"]
                db.session.commit()
                flash(_("Lesson added."), "success")
                return redirect(
                    url_for("authoring.course", slug=slug, _anchor=f"lesson-{lesson.id}")
                )
    return render_template(
        "courses/teach/lesson.html",
        draft=draft,
        form=form,
        lesson=None,
        preview=preview,
        theirs=None,
    )


def _preview(draft: Course, data: dict):
    problems = authoring.check_lesson(draft, data["title"], data["body"])
    if problems:
        flash(" ".join(problems), "error")
        return None
    return authoring.lesson_texts(draft, data["title"], data["body"])["body_html"]


@bp.route("/courses/<slug>/lessons/<int:lesson_id>", methods=["GET", "POST"])
def edit_lesson(slug: str, lesson_id: int):
    draft = draft_to_edit(slug)
    lesson = authoring.find_lesson(draft, lesson_id) or abort(404)
    texts = authoring.source_row(lesson, draft.source_locale)
    form = _lesson_form(
        draft,
        title=texts.title,
        body=texts.body_markdown,
        is_required=lesson.is_required,
        module_id=lesson.module_id,
        revision=lesson.revision,
    )
    preview = theirs = None
    if form.validate_on_submit():
        data = form.data
        if data["preview"]:
            preview = _preview(draft, data)
        else:
            try:
                authoring.update_lesson(draft, lesson, data["revision"] or 0, data)
            except authoring.AuthoringError as error:
                form.body.errors = [str(error)]
            except authoring.EditConflict:
                _conflict(_("this lesson"))
                draft = draft_to_edit(slug)
                lesson = authoring.find_lesson(draft, lesson_id)
                theirs = authoring.source_row(lesson, draft.source_locale)
                _show_revision(form, lesson.revision)
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(
                    url_for("authoring.course", slug=slug, _anchor=f"lesson-{lesson.id}")
                )
    elif request.method == "POST":
        db.session.rollback()
    return render_template(
        "courses/teach/lesson.html",
        draft=draft,
        form=form,
        lesson=lesson,
        preview=preview,
        theirs=theirs,
    )


@bp.route("/courses/<slug>/lessons/<int:lesson_id>/move", methods=["POST"])
def move_lesson(slug: str, lesson_id: int):
    draft = draft_to_edit(slug)
    lesson = authoring.find_lesson(draft, lesson_id) or abort(404)
    form = MoveForm()
    if form.validate_on_submit():
        step = -1 if form.data["direction"] == "up" else 1
        authoring.move(draft, lesson, authoring.lessons_of(lesson.module), step)
        db.session.commit()
    return redirect(url_for("authoring.course", slug=slug, _anchor=f"lesson-{lesson_id}"))


@bp.route("/courses/<slug>/lessons/<int:lesson_id>/delete", methods=["GET", "POST"])
def delete_lesson(slug: str, lesson_id: int):
    draft = draft_to_edit(slug)
    lesson = authoring.find_lesson(draft, lesson_id) or abort(404)
    return _confirm_delete(
        draft,
        lambda: authoring.delete_lesson(draft, lesson),
        _("Lesson deleted."),
        authoring.source_row(lesson, draft.source_locale).title,
        lambda: authoring.deletion_impact(draft, [lesson.key], []),
        url_for("authoring.course", slug=slug),
    )


# Quizzes and questions --------------------------------------------------------------------


def _quiz_page(draft: Course, module):
    quiz = authoring.find_quiz(draft, module)
    if quiz is None:
        form = QuizForm(is_required=True)
    else:
        form = QuizForm(
            obj=quiz,
            time_limit=quiz.time_limit_minutes,
            draw=quiz.draw_count,
            shuffle=quiz.shuffle_questions,
        )
    if form.validate_on_submit():
        try:
            quiz = authoring.save_quiz(draft, module, form.data["revision"], form.data)
        except authoring.EditConflict:
            _conflict(_("this quiz"))
            quiz = authoring.find_quiz(draft_to_edit(draft.slug), module)
            _show_revision(form, quiz.revision)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(request.path)
    questions = authoring.quiz_questions(draft, quiz.category) if quiz else []
    return render_template(
        "courses/teach/quiz.html",
        draft=draft,
        module=module,
        quiz=quiz,
        form=form,
        questions=questions,
        kinds=authoring.KINDS,
        name=authoring.quiz_name(draft, quiz) if quiz else None,
    )


@bp.route("/courses/<slug>/modules/<int:module_id>/quiz", methods=["GET", "POST"])
def module_quiz(slug: str, module_id: int):
    draft = draft_to_edit(slug)
    return _quiz_page(draft, _module(draft, module_id))


@bp.route("/courses/<slug>/final", methods=["GET", "POST"])
def final_quiz(slug: str):
    return _quiz_page(draft_to_edit(slug), None)


def _quiz(draft: Course, quiz_id: int):
    quiz = db.session.get(quizzes.Quiz, quiz_id)
    if quiz is None or quiz.course_id != draft.id:
        abort(404)
    return quiz


def _quiz_url(draft: Course, quiz) -> str:
    if quiz.module_id is None:
        return url_for("authoring.final_quiz", slug=draft.slug)
    return url_for("authoring.module_quiz", slug=draft.slug, module_id=quiz.module_id)


@bp.route("/courses/<slug>/quizzes/<int:quiz_id>/delete", methods=["GET", "POST"])
def delete_quiz(slug: str, quiz_id: int):
    draft = draft_to_edit(slug)
    quiz = _quiz(draft, quiz_id)
    return _confirm_delete(
        draft,
        lambda: authoring.delete_quiz(draft, quiz),
        _("Quiz deleted."),
        authoring.quiz_name(draft, quiz),
        lambda: authoring.deletion_impact(draft, [], [quiz.key]),
        url_for("authoring.course", slug=slug),
    )


def _question_form(data: dict | None = None) -> QuestionForm:
    form = QuestionForm(data=data) if data else QuestionForm()
    while len(form.answers) < ANSWER_ROWS:
        form.answers.append_entry()
    return form


@bp.route("/courses/<slug>/quizzes/<int:quiz_id>/questions/new", methods=["GET", "POST"])
def new_question(slug: str, quiz_id: int):
    draft = draft_to_edit(slug)
    quiz = _quiz(draft, quiz_id)
    kind = request.args.get("kind", "")
    if kind not in authoring.KINDS:
        flash(_("Choose a kind of question."), "error")
        return redirect(_quiz_url(draft, quiz))
    form = _question_form()
    if form.validate_on_submit():
        parsed = authoring.question_from_form(kind, form.data)
        try:
            authoring.save_question(draft, quiz.category, parsed)
        except authoring.AuthoringError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(_quiz_url(draft, quiz))
    elif request.method == "POST":
        flash(form_errors(form), "error")
    return render_template(
        "courses/teach/question.html",
        draft=draft,
        form=form,
        kind=kind,
        kinds=authoring.KINDS,
        back=_quiz_url(draft, quiz),
        question=None,
        theirs=None,
    )


@bp.route("/courses/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(slug: str, question_id: int):
    draft = draft_to_edit(slug)
    question = authoring.find_question(draft, question_id) or abort(404)
    stored = authoring.question_as_gift(draft, question)
    if request.method == "GET":
        form = _question_form(
            authoring.question_form_data(stored) | {"revision": question.revision}
        )
    else:
        form = _question_form()
    quiz = authoring.quiz_for_category(draft, question.category)
    back = _quiz_url(draft, quiz) if quiz else url_for("authoring.course", slug=slug)
    theirs = None
    if form.validate_on_submit():
        parsed = authoring.question_from_form(question.kind, form.data, previous=stored)
        try:
            _saved, removed = authoring.save_question(
                draft, question.category, parsed, question, form.data["revision"] or 0
            )
        except authoring.AuthoringError as error:
            flash(str(error), "error")
        except authoring.EditConflict:
            _conflict(_("this question"))
            draft = draft_to_edit(slug)
            question = authoring.find_question(draft, question_id)
            theirs = authoring.question_as_gift(draft, question)
            _show_revision(form, question.revision)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            if removed:
                flash(
                    ngettext(
                        "The answers changed, so %(num)d translation was removed.",
                        "The answers changed, so %(num)d translations were removed.",
                        removed,
                    ),
                    "info",
                )
            return redirect(back)
    elif request.method == "POST":
        flash(form_errors(form), "error")
    return render_template(
        "courses/teach/question.html",
        draft=draft,
        form=form,
        kind=question.kind,
        kinds=authoring.KINDS,
        back=back,
        question=question,
        theirs=theirs,
    )


@bp.route("/courses/<slug>/questions/<int:question_id>/delete", methods=["GET", "POST"])
def delete_question(slug: str, question_id: int):
    draft = draft_to_edit(slug)
    question = authoring.find_question(draft, question_id) or abort(404)
    quiz = authoring.quiz_for_category(draft, question.category)
    answers = authoring.question_impact(draft, question)
    return _confirm_delete(
        draft,
        lambda: authoring.delete_question(draft, question),
        _("Question deleted."),
        authoring.question_label(draft, question),
        lambda: authoring.Impact(attempts=answers),
        _quiz_url(draft, quiz) if quiz else url_for("authoring.course", slug=slug),
        answers=answers,
    )


# Publishing, preview, export, import ------------------------------------------------------


@bp.route("/courses/<slug>/publish", methods=["POST"])
def publish(slug: str):
    draft = draft_to_edit(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        authoring.publish(draft)
    except authoring.AuthoringError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Published: learners now see this version."), "success")
    return redirect(url_for("authoring.course", slug=slug))


@bp.route("/courses/<slug>/withdraw", methods=["POST"])
def withdraw(slug: str):
    draft = draft_to_edit(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    authoring.withdraw(draft)
    db.session.commit()
    flash(
        _("The course is no longer in the catalogue. Enrolled learners keep their records."),
        "success",
    )
    return redirect(url_for("authoring.course", slug=slug))


def _preview_locale(draft: Course) -> str:
    locale = request.args.get("lang", "")
    if locale not in LOCALES:
        locale = draft.source_locale
    g.preview = {"slug": draft.slug, "locale": locale}
    refresh()
    return locale


@bp.route("/courses/<slug>/preview")
def preview_course(slug: str):
    draft = draft_to_edit(slug)
    locale = _preview_locale(draft)
    view = services.course_view(draft, locale)
    return render_template(
        "courses/course.html",
        view=view,
        enrolment=authoring.PREVIEW_ENROLMENT,
        done=set(),
        quizzes={quiz.module_id: quiz for quiz in course_bank(draft).quizzes},
        results={},
        enrol_form=None,
    )


@bp.route("/courses/<slug>/preview/lessons/<key>")
def preview_lesson(slug: str, key: str):
    draft = draft_to_edit(slug)
    locale = _preview_locale(draft)
    view = services.lesson_view(draft, key, locale) or abort(404)
    return render_template(
        "learning/lesson.html",
        view=view,
        is_done=False,
        enrolment=authoring.PREVIEW_ENROLMENT,
        quiz=quiz_after(view),
    )


@bp.route("/courses/<slug>/preview/quizzes/<key>")
def preview_quiz(slug: str, key: str):
    draft = draft_to_edit(slug)
    locale = _preview_locale(draft)
    bank = course_bank(draft)
    quiz = bank.quiz(key) or abort(404)
    shown = quizzes.preview_questions(quiz, bank, locale, draft.source_locale)
    return render_template(
        "assessments/attempt.html",
        attempt=quizzes.Attempt(number=1),
        questions=shown,
        minutes_left=quiz.time_limit_minutes,
    )


@bp.route("/courses/<slug>/export.zip")
def export(slug: str):
    draft = draft_to_edit(slug)
    live = find_course(slug)
    published = bool(live and live.is_published)
    data = exporter.course_zip(exporter.course_source(draft, published=published))
    response = current_app.response_class(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f"attachment; filename={slug}.zip"
    return response


@bp.url_value_preprocessor
def allow_large_course_zips(endpoint: str | None, _values) -> None:
    """A course with its images may be larger than other uploads. Set before the CSRF check,
    which reads the form before any view or before_request of the blueprint runs."""
    if endpoint == "authoring.import_zip":
        request.max_content_length = exporter.MAX_ZIP_BYTES + 100_000


@bp.route("/import", methods=["GET", "POST"])
def import_zip():
    form = CourseZipForm()
    problems = []
    if form.validate_on_submit():
        with form.archive.data.stream as stream:
            data = stream.read(exporter.MAX_ZIP_BYTES + 1)
        source, problems = exporter.read_zip(data)
        if source is not None:
            existing = find_course(source.slug, draft=True) or find_course(source.slug)
            if existing is not None and not existing.can_edit(current_user):
                problems = [_("A course with this short name exists already.")]
            else:
                import_course(source, draft=True)
                draft = find_course(source.slug, draft=True)
                if existing is None:
                    draft.instructors = [current_user]
                elif not existing.is_draft:
                    draft.instructors = list(existing.instructors)
                authoring.touch(draft)
                db.session.commit()
                flash(
                    _("The course is imported as a draft. Preview it, then publish it."),
                    "success",
                )
                return redirect(url_for("authoring.course", slug=source.slug))
    return render_template("courses/teach/import.html", form=form, problems=problems)


# Translations -----------------------------------------------------------------------------


@bp.route("/courses/<slug>/translations")
def translations(slug: str):
    draft = draft_to_edit(slug)
    locales = [locale for locale in LOCALES if locale != draft.source_locale]
    table = authoring.translation_table(draft, locales)
    return render_template("courses/teach/translations.html", draft=draft, table=table)


def _translation_target(slug: str, locale: str, kind: str, item_id: int):
    draft = draft_to_edit(slug)
    if locale not in LOCALES or locale == draft.source_locale or kind not in authoring.OWNERS:
        abort(404)
    owner = authoring.find_owner(draft, kind, item_id) or abort(404)
    return draft, owner


@bp.route("/courses/<slug>/translations/<locale>/<kind>/<int:item_id>", methods=["GET", "POST"])
def translate(slug: str, locale: str, kind: str, item_id: int):
    draft, owner = _translation_target(slug, locale, kind, item_id)
    source = authoring.source_row(owner, draft.source_locale)
    row = authoring.source_row(owner, locale)
    if request.method == "GET":
        form = TranslationForm(data=authoring.translation_form_data(kind, row or source, row))
    else:
        form = TranslationForm()
    theirs = None
    if form.validate_on_submit():
        values = authoring.translation_values(draft, kind, owner, form.data)
        try:
            authoring.save_translation(draft, owner, kind, locale, form.data["revision"], values)
        except authoring.AuthoringError as error:
            flash(str(error), "error")
        except authoring.EditConflict:
            _conflict(_("this translation"))
            draft, owner = _translation_target(slug, locale, kind, item_id)
            row = theirs = authoring.source_row(owner, locale)
            _show_revision(form, row.revision if row else None)
        else:
            db.session.commit()
            flash(_("Translation saved."), "success")
            return redirect(
                url_for("authoring.translations", slug=slug, _anchor=f"{kind}-{item_id}")
            )
    elif request.method == "POST":
        flash(form_errors(form), "error")
    return render_template(
        "courses/teach/translate.html",
        draft=draft,
        owner=owner,
        kind=kind,
        locale=locale,
        source=source,
        row=row,
        form=form,
        theirs=theirs,
        changes=authoring.source_changes(draft, owner, row),
        translated_fields=authoring.translated_option_fields(owner) if kind == "question" else (),
        status=authoring.translation_status(owner, locale),
        review_form=ConfirmForm(),
    )


@bp.route("/courses/<slug>/translations/<locale>/<kind>/<int:item_id>/reviewed", methods=["POST"])
def mark_reviewed(slug: str, locale: str, kind: str, item_id: int):
    draft, owner = _translation_target(slug, locale, kind, item_id)
    row = authoring.source_row(owner, locale)
    if not ConfirmForm().validate_on_submit() or row is None:
        abort(400)
    authoring.mark_reviewed(draft, owner, row)
    db.session.commit()
    flash(_("Marked as reviewed: the translation is up to date."), "success")
    return redirect(url_for("authoring.translations", slug=slug, _anchor=f"{kind}-{item_id}"))


# Learners ---------------------------------------------------------------------------------


@bp.route("/courses/<slug>/learners")
def learners(slug: str):
    draft = draft_to_edit(slug)
    live = find_course(slug)
    page = request.args.get("page", 1, type=int)
    if page < 1:
        page = 1
    rows, total = authoring.course_learners(live, page) if live else ([], 0)
    course_quizzes = quizzes.course_quizzes(live.id) if live else []
    return render_template(
        "courses/teach/learners.html",
        draft=draft,
        live=live,
        rows=rows,
        total=total,
        page=page,
        per_page=authoring.LEARNERS_PER_PAGE,
        quizzes=course_quizzes,
        quiz_names={quiz.id: authoring.quiz_name(draft, quiz) for quiz in course_quizzes},
    )
