"""Quiz forms. An attempt's answers are read by services.read_responses, which checks every
field against the attempt's own questions and options; the form object only carries CSRF."""

from flask_wtf import FlaskForm


class AttemptForm(FlaskForm):
    """The CSRF token of an attempt page; its answer fields are dynamic."""


class StartQuizForm(FlaskForm):
    """Only a button: starting an attempt is a server-side action."""
