"""Friendly, translated error pages; a CSRF failure is a 400 like any bad request, and a
database out of reach a 503 (try again) rather than a 500."""

from flask import Flask, current_app, g, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager

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
    503: (
        _l("The site is briefly unavailable"),
        _l("Nothing was saved from this request. Please try again in a few seconds."),
    ),
}
# Seconds a browser or client is asked to wait when the database cannot be reached.
RETRY_AFTER = 5


def register_error_handlers(app: Flask) -> None:
    # Unhandled exceptions reach this as InternalServerError once Flask has logged them.
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(OperationalError, database_unavailable)


def database_unavailable(error: OperationalError):
    """The database went away (a restart, a lock held too long): 503, try again shortly.
    The page must not need the database to say that the database is away."""
    current_app.logger.warning("database unavailable: %s", error.orig or error)
    if not hasattr(g, "_login_user"):
        g._login_user = login_manager.anonymous_user()
    title, message = ERROR_TEXTS[503]
    try:
        # Before the rollback, which would expire the signed-in user's loaded attributes.
        page = render_template("errors/error.html", code=503, title=title, message=message)
    except SQLAlchemyError:
        g._login_user = login_manager.anonymous_user()
        page = render_template("errors/error.html", code=503, title=title, message=message)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()
    return page, 503, {"Retry-After": str(RETRY_AFTER)}


def render_http_error(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    known = status if status in ERROR_TEXTS else (400 if status < 500 else 500)
    title, message = ERROR_TEXTS[known]
    page = render_template("errors/error.html", code=status, title=title, message=message)
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
    return page, status, headers
