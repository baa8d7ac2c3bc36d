"""The report filters: a GET form, so a report is a link that can be bookmarked and shared."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from app.accounts.forms import GENDER_LABELS
from app.forms import ChoiceField
from app.i18n import country_choices, language_choices


class ReportFilterForm(FlaskForm):
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
