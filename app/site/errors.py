"""Friendly, translated error pages; a CSRF failure is a 400 like any bad request."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.extensions import db

ERROR_TEXTS = {
    400: (
        _l("Something in that request was not right"),
        _l(
            "The page could not use what was sent. If you were filling in a form, "
            "go back, reload the page and try again."
        ),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("Your account cannot open this page. If you think it should, ask your administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. Check the link, or start again from the home page."),
    ),
    405: (
        _l("That action is not allowed here"),
        _l("This page cannot be used that way. Start again from the home page."),
    ),
    413: (
        _l("That file is too large"),
        _l("What you sent is larger than this site accepts. Try a smaller file."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Please wait a few minutes before you try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been recorded. Please try again in a few minutes."),
    ),
}


def register_error_handlers(app: Flask) -> None:
    # Unhandled exceptions reach this as InternalServerError once Flask has logged them.
    app.register_error_handler(HTTPException, render_http_error)


def render_http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    known = status if status in ERROR_TEXTS else (400 if status < 500 else 500)
    title, message = ERROR_TEXTS[known]
    page = render_template("errors/error.html", code=status, title=title, message=message)
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
    return page, status, headers
