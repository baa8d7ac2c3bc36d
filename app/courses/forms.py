"""The catalogue's filters (a GET form, so a filtered catalogue is a link) and the
instructors' authoring forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from app.accounts.models import EMAIL_MAX
from app.assessments.models import GRADING_BEST, GRADING_LAST, REVIEW_ANSWERS, REVIEW_SCORE
from app.courses.authoring import MAX_LESSON_CHARS
from app.courses.files import KEY_PATTERN, MAX_MEDIA_BYTES, SUMMARY_MAX
from app.courses.models import KEY_MAX, LEVELS, TITLE_MAX
from app.forms import ChoiceField, SiteForm, at_most, required, strip_whitespace
from app.i18n import language_choices


class CatalogueFilterForm(SiteForm):
    class Meta:
        csrf = False

    language = ChoiceField(_l("Language"), validators=[Optional()])
    level = ChoiceField(_l("Level"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [("", _l("All languages"))] + language_choices()
        self.level.choices = [("", _l("All levels"))] + list(LEVELS.items())


# Authoring ---------------------------------------------------------------------------------


class RevisionMixin:
    """The revision an edit form was opened at; a save from an older one is refused."""

    revision = IntegerField(widget=HiddenInput(), validators=[Optional()])


def _hours_field():
    return DecimalField(
        _l("Estimated hours"),
        places=1,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(min=0.1, max=1000, message=_l("Enter a number of hours above 0.")),
        ],
        render_kw={"inputmode": "decimal"},
    )


class CourseSettingsForm(RevisionMixin, SiteForm):
    title = StringField(
        _l("Title"), validators=[required(), at_most(TITLE_MAX)], filters=[strip_whitespace]
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[required(), at_most(SUMMARY_MAX)],
        filters=[strip_whitespace],
        render_kw={"rows": 4},
    )
    level = ChoiceField(_l("Level"), validators=[required()])
    estimated_hours = _hours_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level.choices = list(LEVELS.items())


class NewCourseForm(CourseSettingsForm):
    slug = StringField(
        _l("Short name"),
        description=_l(
            "Used in the course's web address and files: lowercase letters, digits and "
            "hyphens, like open-data-basics. It cannot be changed later."
        ),
        validators=[
            required(),
            at_most(KEY_MAX),
            Regexp(KEY_PATTERN, message=_l("Use lowercase letters, digits and hyphens.")),
        ],
        filters=[strip_whitespace],
    )
    source_locale = ChoiceField(
        _l("Source language"),
        description=_l("The language the course is written in; others are translations."),
        validators=[required()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_locale.choices = language_choices()


class TitleForm(RevisionMixin, SiteForm):
    title = StringField(
        _l("Title"), validators=[required(), at_most(TITLE_MAX)], filters=[strip_whitespace]
    )


class LessonForm(RevisionMixin, SiteForm):
    title = StringField(
        _l("Title"), validators=[required(), at_most(TITLE_MAX)], filters=[strip_whitespace]
    )
    body = TextAreaField(
        _l("Text (Markdown)"),
        description=_l(
            "Markdown: ## for a heading, **bold**, - for a list, [text](https://…) for a link, "
            "![description](media/name.png){width=600 height=400} for an image of the course."
        ),
        validators=[required(), at_most(MAX_LESSON_CHARS)],
        render_kw={"rows": 18},
    )
    is_required = BooleanField(_l("Learners must complete this lesson"), default=True)
    module_id = ChoiceField(_l("Module"), coerce=int)
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class MoveForm(SiteForm):
    direction = ChoiceField(validators=[required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction.choices = [("up", "up"), ("down", "down")]


class ConfirmForm(SiteForm):
    """A button that confirms a deletion, a publication or a withdrawal."""


def _optional_number(label, low, high, hint=None):
    return IntegerField(
        label,
        description=hint,
        validators=[
            Optional(),
            NumberRange(
                min=low,
                max=high,
                message=_l("Enter a whole number from %(min)d to %(max)d."),
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )


class QuizForm(RevisionMixin, SiteForm):
    is_required = BooleanField(_l("Learners must pass this quiz to complete the course"))
    pass_mark = IntegerField(
        _l("Pass mark (%)"),
        default=70,
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(
                min=0, max=100, message=_l("Enter a whole number from %(min)d to %(max)d.")
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    max_attempts = _optional_number(_l("Attempts allowed"), 1, 100, _l("Empty: no limit."))
    time_limit = _optional_number(_l("Time limit (minutes)"), 1, 1440, _l("Empty: no limit."))
    draw = _optional_number(
        _l("Questions drawn at random"), 1, 1000, _l("Empty: every question, in order.")
    )
    shuffle = BooleanField(_l("Shuffle questions and answers"), default=True)
    review = ChoiceField(_l("After submitting, learners see"))
    grading = ChoiceField(_l("The attempt that counts"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.review.choices = [
            (REVIEW_ANSWERS, _l("their score and the right answers")),
            (REVIEW_SCORE, _l("only their score")),
        ]
        self.grading.choices = [
            (GRADING_BEST, _l("the best attempt")),
            (GRADING_LAST, _l("the last attempt")),
        ]


class AnswerForm(Form):
    """One row of a question's answers; which fields count depends on the question's kind."""

    text = StringField(_l("Answer"), validators=[at_most(1000)], filters=[strip_whitespace])
    match = StringField(_l("Matches"), validators=[at_most(1000)], filters=[strip_whitespace])
    grade = IntegerField(
        _l("Credit (%)"),
        validators=[
            Optional(),
            NumberRange(
                min=-100, max=100, message=_l("Enter a whole number from %(min)d to %(max)d.")
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )
    number = DecimalField(
        _l("Number"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal"},
    )
    tolerance = DecimalField(
        _l("Tolerance (±)"),
        validators=[Optional(), NumberRange(min=0, message=_l("Enter a number of 0 or more."))],
        render_kw={"inputmode": "decimal"},
    )
    feedback = StringField(_l("Feedback"), validators=[at_most(1000)], filters=[strip_whitespace])


ANSWER_ROWS = 6


class QuestionForm(RevisionMixin, SiteForm):
    text = TextAreaField(
        _l("Question"),
        validators=[required(), at_most(5000)],
        filters=[strip_whitespace],
        render_kw={"rows": 4},
    )
    answers = FieldList(FormField(AnswerForm), min_entries=ANSWER_ROWS, max_entries=20)
    truth = ChoiceField(_l("The statement is"), default="true")
    true_feedback = StringField(
        _l("Feedback when the learner answers true"), validators=[at_most(1000)]
    )
    false_feedback = StringField(
        _l("Feedback when the learner answers false"), validators=[at_most(1000)]
    )
    ignore_accents = BooleanField(_l("Accept answers typed without accents"))
    general_feedback = TextAreaField(
        _l("Feedback for everyone after submitting"),
        validators=[at_most(2000)],
        filters=[strip_whitespace],
        render_kw={"rows": 2},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.truth.choices = [("true", _l("True")), ("false", _l("False"))]


class OptionWordsForm(Form):
    text = StringField(_l("Answer"), validators=[at_most(1000)])
    match = StringField(_l("Matches"), validators=[at_most(1000)])
    feedback = StringField(_l("Feedback"), validators=[at_most(1000)])


class TranslationForm(RevisionMixin, SiteForm):
    """Every field a translation may have; the page shows the ones its item uses."""

    title = StringField(_l("Title"), validators=[at_most(TITLE_MAX)], filters=[strip_whitespace])
    summary = TextAreaField(_l("Summary"), validators=[at_most(SUMMARY_MAX)], render_kw={"rows": 4})
    body_markdown = TextAreaField(
        _l("Text (Markdown)"), validators=[at_most(MAX_LESSON_CHARS)], render_kw={"rows": 18}
    )
    text = TextAreaField(_l("Question"), validators=[at_most(5000)], render_kw={"rows": 4})
    general_feedback = TextAreaField(
        _l("Feedback for everyone after submitting"),
        validators=[at_most(2000)],
        render_kw={"rows": 2},
    )
    options = FieldList(FormField(OptionWordsForm), max_entries=20)


class CourseZipForm(SiteForm):
    # Its size is checked with its contents (exporter.read_zip).
    archive = FileField(
        _l("Course zip"), validators=[FileRequired(message=_l("Choose a file to upload."))]
    )


class InstructorForm(SiteForm):
    email = EmailField(
        _l("Email address of the co-instructor"),
        validators=[
            required(),
            at_most(EMAIL_MAX),
            Email(message=_l("Enter a valid email address, like name@example.org.")),
        ],
        filters=[strip_whitespace],
    )


class MediaForm(SiteForm):
    image = FileField(
        _l("Image (PNG, JPEG, WebP or GIF, up to 5 MB)"),
        validators=[
            FileRequired(message=_l("Choose a file to upload.")),
            FileSize(max_size=MAX_MEDIA_BYTES, message=_l("This image is too large (over 5 MB).")),
        ],
    )
