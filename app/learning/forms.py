"""Enrolment and lesson-completion forms."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Optional

from app.forms import SiteForm, at_most, strip_whitespace


class EnrolForm(SiteForm):
    cohort_code = StringField(
        _l("Cohort code (optional)"),
        validators=[Optional(), at_most(20)],
        filters=[strip_whitespace],
        description=_l("If your organisation gave you a code, type it here."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
