"""Looking a code up, and revoking a certificate."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from app.forms import SiteForm, at_most, required, strip_whitespace


class CodeForm(SiteForm):
    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[required(), at_most(40)],
        filters=[strip_whitespace],
        description=_l("As printed on the certificate, for example 7K2P-9QXM-4D1R-8WZT-0."),
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )


class RevokeForm(SiteForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[required(), at_most(500)],
        filters=[strip_whitespace],
        description=_l("Shown to anyone who checks this certificate."),
    )
