"""Account forms: registration, sign-in, profile and passwords."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Optional, ValidationError

from app.accounts.models import EMAIL_MAX, GENDERS, NAME_MAX, ORGANISATION_MAX, User
from app.accounts.services import PASSWORD_MAX, PASSWORD_MIN, password_problem
from app.forms import ChoiceField, SiteForm, at_most, required, strip_whitespace
from app.i18n import country_choices, language_choices

GENDER_LABELS = {
    "female": _l("Woman"),
    "male": _l("Man"),
    # TRANSLATORS: a gender option for people who are neither a woman nor a man.
    "other": _l("Another gender"),
}


def _email_field(label):
    return EmailField(
        label,
        validators=[
            required(),
            at_most(EMAIL_MAX),
            Email(message=_l("Enter a valid email address, like name@example.org.")),
        ],
        filters=[strip_whitespace],
        render_kw={"autocomplete": "email"},
    )


class NewPasswordForm(SiteForm):
    """A new password typed twice, refused when it is too easy to guess."""

    password = PasswordField(
        _l("New password"),
        validators=[required(), at_most(PASSWORD_MAX)],
        description=_l(
            "At least %(n)d characters. A few unrelated words are easy to remember.",
            n=PASSWORD_MIN,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, account: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def owner(self) -> tuple[str, str]:
        """The email and name the password must not contain."""
        return (self.account.email, self.account.name) if self.account else ("", "")

    def validate_password(self, field):
        email, name = self.owner()
        problem = password_problem(field.data, email=email, name=name)
        if problem:
            raise ValidationError(problem)


class PersonalDetailsForm(SiteForm):
    """The fields a learner fills in at registration and can change on their profile."""

    name = StringField(
        _l("Full name"),
        validators=[required(), at_most(NAME_MAX)],
        description=_l("As it should appear on your certificates."),
        filters=[strip_whitespace],
        render_kw={"autocomplete": "name"},
    )
    country = ChoiceField(_l("Country"), validators=[required()])
    locale = ChoiceField(_l("Preferred language"), validators=[required()])
    gender = ChoiceField(_l("Gender (optional)"), validators=[Optional()])
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[Optional(), at_most(ORGANISATION_MAX)],
        filters=[strip_whitespace],
        render_kw={"autocomplete": "organization"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose your country"))] + country_choices()
        self.locale.choices = language_choices()
        self.gender.choices = [("", _l("Prefer not to say"))] + [
            (value, GENDER_LABELS[value]) for value in GENDERS
        ]


class RegisterForm(PersonalDetailsForm, NewPasswordForm):
    email = _email_field(_l("Email address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = _l("Choose a password")
        self.confirm.label.text = _l("Repeat the password")

    def owner(self) -> tuple[str, str]:
        return self.email.data or "", self.name.data or ""


class SignInForm(SiteForm):
    email = _email_field(_l("Email address"))
    password = PasswordField(
        _l("Password"),
        validators=[required(), at_most(PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required(), at_most(PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(SiteForm):
    email = _email_field(_l("Email address"))
