"""Question-bank and marking forms. An attempt's answers have no form class: the page
carries the CSRF token (checked for every POST by CSRFProtect), and services.read_responses
checks every field against the attempt's own questions and options."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from app.assessments.files import MAX_BANK_BYTES
from app.forms import ChoiceField, SiteForm, at_most, required
from app.i18n import language_choices


class BankUploadForm(SiteForm):
    """A GIFT file for a course's question bank, in one of the course's languages."""

    bank = FileField(
        _l("GIFT file"),
        validators=[
            FileRequired(message=_l("Choose a file to upload.")),
            FileSize(
                max_size=MAX_BANK_BYTES, message=_l("This question bank is too large (over 1 MB).")
            ),
        ],
    )
    locale = ChoiceField(_l("Language of the file"), validators=[required()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()


class ConfirmBankForm(SiteForm):
    upload = HiddenField(validators=[required()])
    locale = HiddenField(validators=[required()])


class MarkEssayForm(SiteForm):
    mark = IntegerField(
        _l("Mark (percent)"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(min=0, max=100, message=_l("Give a mark from 0 to 100.")),
        ],
    )
    comment = TextAreaField(_l("Comment for the learner (optional)"), validators=[at_most(2000)])
