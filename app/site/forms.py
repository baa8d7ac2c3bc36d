"""The language switcher shown on every page."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from app.forms import ChoiceField, SiteForm, required
from app.i18n import language_choices


class LanguageForm(SiteForm):
    locale = ChoiceField(_l("Language"), validators=[required()])
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()
