"""The form base class, fields and validators shared by every domain, with messages in our
catalogs."""

from functools import cache

from babel.support import Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, ValidationError


@cache
def _wtforms_catalog(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTranslations:
    """WTForms' own messages in the page's language, each catalog read once per process
    (Flask-WTF reads it from disk again on every request)."""

    def gettext(self, string):
        return _wtforms_catalog(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalog(str(get_locale())).ungettext(singular, plural, n)


_TRANSLATIONS = _WTFormsTranslations()


class SiteForm(FlaskForm):
    """Every form of the site: Flask-WTF (CSRF), with WTForms' messages translated."""

    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message is translated like the rest of the page."""

    def pre_validate(self, form):
        if self.data not in {choice[0] for choice in self.choices or ()}:
            raise ValidationError(_l("Choose one of the options in the list."))


def required():
    return DataRequired(message=_l("This field is required."))


def at_most(length: int):
    return Length(max=length, message=_l("Use at most %(max)d characters."))


def strip_whitespace(value):
    """A field filter: people paste addresses and names with stray spaces."""
    return value.strip() if isinstance(value, str) else value


def form_errors(form) -> str:
    """Every error of a form in one message (rows of a FieldList included), for a flash."""
    messages = []
    for errors in form.errors.values():
        for error in errors:
            if isinstance(error, dict):
                messages += [message for row in error.values() for message in row]
            else:
                messages.append(str(error))
    return " ".join(dict.fromkeys(messages))
