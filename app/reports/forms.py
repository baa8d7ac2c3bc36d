"""The report filters: a GET form, so a report is a link that can be bookmarked and shared."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectMultipleField, StringField
from wtforms.validators import Email, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import GENDER_LABELS
from app.accounts.models import EMAIL_MAX
from app.forms import ChoiceField, SiteForm, at_most, required, strip_whitespace
from app.i18n import country_choices, language_choices


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes rather than a multiple select, which is hard to use on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {choice[0] for choice in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Choose one of the options in the list."))


class ReportFilterForm(SiteForm):
    class Meta:
        csrf = False

    course = ChoiceField(_l("Course"), coerce=str, validators=[Optional()])
    cohort = ChoiceField(_l("Cohort"), coerce=str, validators=[Optional()])
    country = ChoiceField(_l("Country"), validators=[Optional()])
    gender = ChoiceField(_l("Gender"), validators=[Optional()])
    language = ChoiceField(_l("Language"), validators=[Optional()])
    start = DateField(
        _l("Enrolled from"),
        validators=[Optional()],
        render_kw={"placeholder": "YYYY-MM-DD"},
    )
    end = DateField(
        _l("Enrolled until"),
        validators=[Optional()],
        render_kw={"placeholder": "YYYY-MM-DD"},
    )

    def __init__(self, *args, courses=(), cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = [("", _l("All courses")), *courses]
        self.cohort.choices = [("", _l("All cohorts")), *cohorts]
        self.country.choices = [("", _l("All countries")), *country_choices()]
        self.gender.choices = [("", _l("Everyone")), *GENDER_LABELS.items()]
        self.language.choices = [("", _l("All languages")), *language_choices()]

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class CohortForm(SiteForm):
    name = StringField(
        _l("Name"), validators=[required(), at_most(120)], filters=[strip_whitespace]
    )
    country = ChoiceField(_l("Country"), validators=[Optional()])
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), at_most(200)], filters=[strip_whitespace]
    )
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    courses = MultiCheckboxField(_l("Courses"), coerce=int)
    programme = ChoiceField(_l("Programme"), coerce=str, validators=[Optional()])

    def __init__(self, *args, courses=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("No country")), *country_choices()]
        self.courses.choices = list(courses)
        self.programme.choices = [("", _l("No programme")), *programmes]

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_courses(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one course."))


class EmailForm(SiteForm):
    email = EmailField(
        _l("Email address of the officer"),
        validators=[
            required(),
            at_most(EMAIL_MAX),
            Email(message=_l("Enter a valid email address, like name@example.org.")),
        ],
        filters=[strip_whitespace],
    )


class ProgrammeForm(SiteForm):
    name = StringField(
        _l("Name of the programme"),
        validators=[required(), at_most(120)],
        filters=[strip_whitespace],
    )
