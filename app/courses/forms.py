"""The catalogue's filters: a GET form, so a filtered catalogue is a link."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from app.courses.models import LEVELS
from app.forms import ChoiceField
from app.i18n import language_choices


class CatalogueFilterForm(FlaskForm):
    class Meta:
        csrf = False

    language = ChoiceField(_l("Language"), validators=[Optional()])
    level = ChoiceField(_l("Level"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [("", _l("All languages"))] + language_choices()
        self.level.choices = [("", _l("All levels"))] + list(LEVELS.items())
