"""Quiz forms. An attempt's answers are read by services.read_responses, which checks every
field against the attempt's own questions and options; the form object only carries CSRF."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from app.assessments.files import MAX_BANK_BYTES
from app.forms import ChoiceField, SiteForm, at_most, required
from app.i18n import language_choices


class AttemptForm(SiteForm):
    """The CSRF token of an attempt page; its answer fields are dynamic."""


class StartQuizForm(SiteForm):
    """Only a button: starting an attempt is a server-side action."""


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
