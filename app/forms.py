"""Form fields and validators shared by every domain, with messages in our catalogs."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, Length, ValidationError


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
